#!/usr/bin/env node
// The package's `bin`: registers tsx so the TypeScript CLI runs without a build step.
import { register } from 'tsx/esm/api';

// The SDK warns on every run under Node 20 that its releases after January 2027 need Node 22;
// the Lambdas run Node 22 and package-lock.json pins the SDK, so it says nothing an operator can
// act on (docs/operations.md, prerequisites: move to Node 22 before updating the SDK).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
await import('./cli.ts');
