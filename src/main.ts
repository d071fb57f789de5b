import './runtime-check';
import { setFlagsFromString } from 'node:v8';
// Prisma's query compiler is WebAssembly. V8's optimizing wasm tier costs ~35 MB of resident memory
// and bought no measurable query throughput here (database-bound; docs/benchmarks.md), so the
// baseline compiler is used alone. Must run before Prisma compiles the module.
setFlagsFromString('--liftoff-only');

import { createApp } from './bootstrap';
import { ConfigValidationError } from './config/validate-config';
import { serve } from './server';
import { TenantRoleCheckError } from './tenancy/tenant-role-check.service';

createApp()
  .then(serve)
  .catch((error: unknown) => {
    // Both are complete explanations for a person; a stack trace would only bury them.
    if (error instanceof ConfigValidationError || error instanceof TenantRoleCheckError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`Start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exit(1);
  });
