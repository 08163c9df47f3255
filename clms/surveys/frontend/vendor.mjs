// Copies the Workbox runtime from node_modules (npm install, versions pinned in
// package-lock.json) into ../static/surveys/workbox/, which is committed: the site never loads
// Workbox from a CDN or from the network at run time.  Run: npm ci && npm run vendor
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "static", "surveys", "workbox");
const modules = ["workbox-core", "workbox-routing", "workbox-strategies", "workbox-expiration", "workbox-precaching"];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
// Without their source maps (not shipped): the reference to a missing map is dropped.
const copyScript = (from, to) =>
  writeFileSync(to, readFileSync(from, "utf8").replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n"));
copyScript(join(here, "node_modules", "workbox-sw", "build", "workbox-sw.js"), join(out, "workbox-sw.js"));
const versions = {};
for (const name of ["workbox-sw", ...modules]) {
  versions[name] = JSON.parse(readFileSync(join(here, "node_modules", name, "package.json"), "utf8")).version;
}
for (const name of modules) {
  const build = join(here, "node_modules", name, "build");
  for (const file of readdirSync(build)) {
    if (file.endsWith(".prod.js")) copyScript(join(build, file), join(out, file));
  }
}
copyFileSync(join(here, "node_modules", "workbox-sw", "LICENSE"), join(out, "LICENSE.txt"));
writeFileSync(join(out, "VERSIONS.json"), JSON.stringify(versions, null, 2) + "\n");
console.log(`vendored ${Object.keys(versions).length} Workbox packages into ${out}`);
