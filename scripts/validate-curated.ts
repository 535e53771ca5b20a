/** Validates the curated YAML (schemas and cross-references); prints problems with file:line. */
import { loadCurated } from './lib/load-curated';
import { DataError } from './lib/curated';

try {
  const c = loadCurated();
  console.log(
    `ok: ${c.reviewed.length} reviewed drugs, ${c.effects.length} side effects, ${c.classes.length} classes, ${c.routes.length} routes`,
  );
} catch (e) {
  if (e instanceof DataError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
