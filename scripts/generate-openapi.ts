/** Writes schemas/openapi.json from the zod schemas (`npm run gen:openapi`). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderOpenApi } from '#schemas/openapi.js';

const target = fileURLToPath(new URL('../schemas/openapi.json', import.meta.url));
writeFileSync(target, renderOpenApi());
console.log(`wrote ${target}`);
