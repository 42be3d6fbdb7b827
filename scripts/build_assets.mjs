// Copies the front-end packages JoinedUp serves from node_modules into src/joinedup/static/vendor.
// Built assets are not committed; `make demo` and `make test` run this after `npm ci`.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const nm = (p) => join(root, "node_modules", p);
const out = join(root, "src", "joinedup", "static", "vendor");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "nhsuk"), { recursive: true });
mkdirSync(join(out, "htmx"), { recursive: true });
mkdirSync(join(out, "vega"), { recursive: true });

// NHS.UK frontend: the CSS asks for images at /assets/...; serve them beside the CSS instead, and drop the
// web-font rules (the Frutiger files live on a third-party host; the CSS falls back to Arial).
let css = readFileSync(nm("nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css"), "utf8");
css = css.replaceAll("url(/assets/", "url(assets/");
css = css.replace(/@font-face\{[^}]*\}/g, "");
css = css.replace(/\/\*# sourceMappingURL=.*?\*\//g, "");
writeFileSync(join(out, "nhsuk", "nhsuk-frontend.min.css"), css);
let js = readFileSync(nm("nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js"), "utf8");
writeFileSync(join(out, "nhsuk", "nhsuk-frontend.min.js"), js.replace(/\/\/# sourceMappingURL=.*$/m, ""));
cpSync(nm("nhsuk-frontend/dist/nhsuk/assets"), join(out, "nhsuk", "assets"), { recursive: true });

cpSync(nm("htmx.org/dist/htmx.min.js"), join(out, "htmx", "htmx.min.js"));

for (const [pkg, file] of [["vega", "vega.min.js"], ["vega-lite", "vega-lite.min.js"], ["vega-embed", "vega-embed.min.js"]]) {
  const src = readFileSync(nm(`${pkg}/build/${file}`), "utf8");
  writeFileSync(join(out, "vega", file), src.replace(/\/\/# sourceMappingURL=.*$/m, ""));
}
// Vega's CSP-safe expression interpreter (no eval / new Function), as a module reading the global `vega`.
let interp = readFileSync(nm("vega-interpreter/build/vega-interpreter.js"), "utf8");
interp = interp.replace(
  /^import \{([^}]*)\} from 'vega-util';$/m,
  (_, names) => `const {${names}} = window.vega;`,
);
writeFileSync(join(out, "vega", "vega-interpreter.js"), interp.replace(/\/\/# sourceMappingURL=.*$/m, ""));

writeFileSync(join(out, ".built"), new Date().toISOString() + "\n");
console.log(`front-end assets copied to ${out}`);
