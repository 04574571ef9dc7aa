// The project's root folder, found from this module's own location: one level up both from
// src/projectRoot.ts (run with tsx) and from dist/*.js, where `npm run build` bundles it. Files
// that ship beside the code (prisma/migrations) are found from here, never from a module's own
// path, which changes when the code is bundled.
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
