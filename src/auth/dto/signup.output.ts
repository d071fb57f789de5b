import { ApiProperty } from '@nestjs/swagger';
import { PackageOutput, SegmentOutput } from '../../catalog/dto/catalog.output';
import { FirstApiKeyOutput } from '../../provisioning/dto/tenant.output';
import { AccountOutput } from '../../provisioning/dto/account.output';
import { SessionOutput } from './session.output';

/** A new owner's session plus what their tenant was created with. No hashes, ever. */
export class SignupOutput extends SessionOutput {
  @ApiProperty({ type: AccountOutput })
  tenant!: AccountOutput;

  @ApiProperty({ type: SegmentOutput })
  segment!: SegmentOutput;

  @ApiProperty({ type: [PackageOutput] })
  packages!: PackageOutput[];

  @ApiProperty({ type: FirstApiKeyOutput, description: 'The first API key; its secret is shown here only.' })
  apiKey!: FirstApiKeyOutput;
}
