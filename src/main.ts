import { createApp } from './bootstrap';
import { ConfigValidationError } from './config/validate-config';
import { serve } from './server';

createApp()
  .then(serve)
  .catch((error: unknown) => {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`Start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exit(1);
  });
