/**
 * zod for every schema that reaches a Lambda bundle: the functional `zod/mini` API (same core
 * and same validation as `import * as z from 'zod'`), with English error messages.
 *
 * Why mini: classic zod attaches dozens of methods to every schema it builds, which cost about
 * 11 ms of a Lambda's cold import, and it is ~100 KB of each bundle; mini is ~30 KB (see
 * docs/benchmarks.md). Unlike classic, mini sets no locale, so without the `config` below
 * every message would be "Invalid input". Import it as `import * as z from '…/schemas/zod.js'`
 * (a namespace import lets esbuild keep only the parts used).
 */

import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());

export * from 'zod/mini';
