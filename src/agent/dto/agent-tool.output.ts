import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { PackageOutput, SegmentOutput } from '../../catalog/dto/catalog.output';

/** A tool as LLM function-calling APIs take it (`{ type: "function", function: {...} }`). */
export class AgentFunctionOutput {
  @ApiProperty({ example: 'upsert_package' })
  name!: string;

  @ApiProperty({ example: 'Lists the tenant’s bookable packages.' })
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

/** `get_packages`' answer: one page of packages and how many there are. */
export class AgentPackageListOutput {
  @ApiProperty({ type: [PackageOutput] })
  items!: PackageOutput[];

  @ApiProperty({ type: 'integer', minimum: 0, example: 3 })
  total!: number;
}

/** A read tool's answer. */
export class AgentToolResultOutput {
  @ApiProperty({ enum: ['get_segments', 'get_packages', 'get_package'], example: 'get_packages' })
  tool!: string;

  @ApiProperty({
    description: 'What the tool returned, by `tool`: `get_segments` the segments (an array), `get_packages` a page of packages (`{ items, total }`), `get_package` one package.',
    anyOf: [{ type: 'array', items: { $ref: getSchemaPath(SegmentOutput) } }, { $ref: getSchemaPath(AgentPackageListOutput) }, { $ref: getSchemaPath(PackageOutput) }],
  })
  result!: SegmentOutput[] | AgentPackageListOutput | PackageOutput;
}
