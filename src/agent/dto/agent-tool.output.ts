import { ApiProperty } from '@nestjs/swagger';

/** A tool as LLM function-calling APIs take it (`{ type: "function", function: {...} }`). */
export class AgentFunctionOutput {
  @ApiProperty({ example: 'upsert_package' })
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'JSON Schema of the arguments.' })
  parameters!: Record<string, unknown>;
}

export class AgentToolOutput {
  @ApiProperty({ enum: ['function'] })
  type!: 'function';

  @ApiProperty({ type: AgentFunctionOutput })
  function!: AgentFunctionOutput;
}

export class AgentToolListOutput {
  @ApiProperty({ type: [AgentToolOutput], description: 'Pass as `tools` to a function-calling API. Write tools create proposals a human confirms.' })
  tools!: AgentToolOutput[];
}

/** A read tool's answer. */
export class AgentToolResultOutput {
  @ApiProperty({ example: 'get_packages' })
  tool!: string;

  // Each tool answers its own shape (its description says which): any JSON object or array.
  @ApiProperty({
    description: "What the tool returned: the catalog resources it read, as the catalog's own operations answer them.",
    oneOf: [{ type: 'object', additionalProperties: true }, { type: 'array', items: {} }],
  })
  result!: unknown;
}
