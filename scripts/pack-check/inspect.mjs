// Checks what `pnpm pack` put in each tarball before anything is installed: the package.json a
// registry would serve (no workspace:/catalog: specifiers, complete metadata, types-first
// exports, bins that exist and start with a shebang), only built files and docs inside, a README
// whose links work on the registry page, and every package the built code imports declared as a
// dependency (a devDependency is not installed for users). Usage:
//   node inspect.mjs <extract-dir> <tarball>...
// Prints one line per package (files, packed and unpacked size); exits 1 listing every problem.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const [extractRoot, ...tarballs] = process.argv.slice(2);
const problems = [];
const builtins = new Set(builtinModules);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Every file below dir, as paths relative to it. */
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path).map((p) => join(entry.name, p)) : [entry.name];
  });
}

/** The package a bare import specifier names: "@scope/name/sub" → "@scope/name". */
function packageOf(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

for (const tarball of tarballs) {
  const dir = join(extractRoot, basename(tarball, ".tgz"));
  mkdirSync(dir, { recursive: true });
  execFileSync("tar", ["xzf", tarball, "-C", dir]);
  const root = join(dir, "package");
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const where = `${pkg.name} (${basename(tarball)})`;
  const problem = (text) => problems.push(`${where}: ${text}`);

  // What a registry would serve: no specifier only pnpm's workspace understands.
  const raw = readFileSync(join(root, "package.json"), "utf8");
  for (const protocol of ["workspace:", "catalog:"]) {
    if (raw.includes(`"${protocol}`)) problem(`package.json still has a "${protocol}" specifier`);
  }
  for (const field of ["description", "license", "homepage"]) {
    if (typeof pkg[field] !== "string" || pkg[field] === "") problem(`no "${field}"`);
  }
  if (!Array.isArray(pkg.keywords) || pkg.keywords.length === 0) problem('no "keywords"');
  if (pkg.repository?.url === undefined || pkg.repository?.directory === undefined) {
    problem('"repository" needs "url" and "directory" (the package\'s folder in the repo)');
  }
  if (pkg.engines?.node !== ">=20") problem(`engines.node is ${pkg.engines?.node}, not ">=20"`);
  if (pkg.private === true) problem('"private": true would refuse to publish');
  if (pkg.publishConfig?.access !== "public")
    problem('scoped: needs publishConfig.access "public"');
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (typeof target === "object" && Object.keys(target)[0] !== "types") {
      problem(
        `exports["${subpath}"] must list "types" first (TypeScript reads conditions in order)`,
      );
    }
  }
  for (const [name, file] of Object.entries(pkg.bin ?? {})) {
    let head = "";
    try {
      head = readFileSync(join(root, file), "utf8").slice(0, 40);
    } catch {
      problem(`bin ${name} → ${file} is not in the tarball`);
      continue;
    }
    if (!head.startsWith("#!/usr/bin/env node"))
      problem(`bin ${name} (${file}) lacks "#!/usr/bin/env node"`);
  }

  // Only built code and the docs: no sources, tests, source maps or tooling.
  const files = walk(root);
  for (const file of files) {
    const allowed =
      ["package.json", "README.md", "CHANGELOG.md", "LICENSE"].includes(file) ||
      (file.startsWith("dist/") && /\.(js|d\.ts)$/.test(file) && !/\.test\.|\/test\//.test(file));
    if (!allowed) problem(`unexpected file in the tarball: ${file}`);
  }
  // tsc never deletes: a module removed from src/ would still ship from an old dist/.
  const sourceDir = join(repoRoot, pkg.repository?.directory ?? ".", "src");
  for (const file of files.filter((f) => f.startsWith("dist/"))) {
    const source = join(
      sourceDir,
      file.slice("dist/".length).replace(/(\.d)?\.js$|\.d\.ts$/, ".ts"),
    );
    if (!existsSync(source))
      problem(
        `${file} has no source (${relative(repoRoot, source)}): stale build output, rebuild from a clean dist/`,
      );
  }
  for (const doc of ["README.md", "CHANGELOG.md", "LICENSE"]) {
    if (!files.includes(doc)) problem(`no ${doc} in the tarball`);
  }

  // The registry page shows the README outside the repo: relative links there are broken.
  const readme = files.includes("README.md") ? readFileSync(join(root, "README.md"), "utf8") : "";
  for (const match of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = match[1];
    if (!/^(https?:|mailto:|#)/.test(target)) {
      problem(`README link "${target}" is relative: make it absolute (https://github.com/…)`);
    }
  }

  // Every package the built code imports must be installed for users: a dependency.
  const declared = new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
    pkg.name,
  ]);
  const imported = new Set();
  for (const file of files.filter((f) => f.endsWith(".js"))) {
    const code = readFileSync(join(root, file), "utf8");
    // The compiler's own import scanner: static, dynamic and re-exports, never text in strings.
    const specifiers = ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
    for (const specifier of specifiers) {
      if (specifier.startsWith(".") || specifier.startsWith("node:")) continue;
      if (builtins.has(specifier) || builtins.has(packageOf(specifier))) continue;
      imported.add(packageOf(specifier));
    }
  }
  for (const name of imported) {
    if (!declared.has(name)) {
      problem(
        `dist imports "${name}", which is not in "dependencies"${pkg.devDependencies?.[name] ? " (only a devDependency: users will not have it)" : ""}`,
      );
    }
  }

  const unpacked = files.reduce((sum, file) => sum + statSync(join(root, file)).size, 0);
  console.log(
    `${pkg.name}@${pkg.version}: ${files.length} files, ${(statSync(tarball).size / 1024).toFixed(1)} kB packed, ${(unpacked / 1024).toFixed(1)} kB unpacked; imports ${[...imported].sort().join(", ") || "nothing"}`,
  );
}

if (problems.length > 0) {
  console.error(problems.map((text) => `  - ${text}`).join("\n"));
  process.exit(1);
}
