// Compiles every app, library and tool from TypeScript to dist/ with swc (decorator metadata
// on, path aliases rewritten to relative requires), so `node dist/apps/<app>/src/main.js` runs
// without any loader. Type checking is `npm run typecheck`; this step only transpiles.
import { transformFile } from '@swc/core';
import { readFileSync, mkdirSync, writeFileSync, readdirSync, statSync, rmSync, copyFileSync, existsSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';

const root = process.cwd();
// `--out DIR` builds elsewhere (tests that start a real process build into a temp dir).
const outFlag = process.argv.indexOf('--out');
const out = outFlag > 0 ? process.argv[outFlag + 1] : join(root, 'dist');
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;
swcrc.jsc.baseUrl = root;
swcrc.swcrc = false;

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'test') continue;
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts')) yield path;
  }
}

rmSync(out, { recursive: true, force: true });
let count = 0;
const files = ['apps', 'libs', 'tools'].flatMap((d) => [...sources(join(root, d))]);
await Promise.all(
  files.map(async (file) => {
    const { code, map } = await transformFile(file, { ...swcrc, filename: file, sourceFileName: relative(dirname(join(out, relative(root, file))), file) });
    const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, map ? `${code}\n//# sourceMappingURL=${target.split('/').pop()}.map` : code);
    if (map) writeFileSync(`${target}.map`, map);
    count++;
  }),
);
// Pages an app serves as they are (apps/<app>/src/web/*.html|css|js: the operator console's) go beside its compiled code.
for (const app of readdirSync(join(root, 'apps'))) {
  const web = join(root, 'apps', app, 'src', 'web');
  if (!existsSync(web)) continue;
  for (const name of readdirSync(web).filter((n) => /\.(html|css|js)$/.test(n))) {
    mkdirSync(join(out, 'apps', app, 'src', 'web'), { recursive: true });
    copyFileSync(join(web, name), join(out, 'apps', app, 'src', 'web', name));
    count++;
  }
}
console.log(`built ${count} files into dist/`);
