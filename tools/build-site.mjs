#!/usr/bin/env node
// Builds what `cargo leptos build [--release --precompress]` builds, with cargo, the
// wasm-bindgen CLI and two npm tools, so that a fresh machine need not compile cargo-leptos
// (25 minutes on two cores) before it can serve the demo or run the tests. cargo-leptos stays
// the tool for `cargo leptos watch` while developing; both leave the same `target/site`.
//
//   node tools/build-site.mjs            debug build (what the tests use), in target/site
//   node tools/build-site.mjs --release  release build: wasm-opt, minified JS and CSS, and
//                                        every file also as .br and .gz, in target/site-release
//   node tools/build-site.mjs [--release] --print-site
//                                        prints the folder that build writes, and builds nothing
//
// The debug and release sites live apart, so running the tests (debug) after the demo
// (release) never swaps the demo's assets for a 2 MB debug WASM without its .br files.
//
// The steps follow cargo-leptos 0.3: the islands crate to WASM (its own target folder), then
// wasm-bindgen for the web, `<name>_bg.wasm` renamed to `<name>.wasm` (Leptos' hydration
// script loads that name), wasm-opt -Oz in release, the stylesheet through lightningcss for
// the browsers of the `browserquery`, `public/` copied into the site, precompression, and
// last the server binary.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const release = process.argv.includes('--release');
const tools = join(root, 'tools', 'node_modules', '.bin');

// The project's Leptos settings, read from the workspace's Cargo.toml (one place for them).
const manifest = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const setting = (key) => {
  const found = manifest.match(new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, 'm'));
  if (!found) throw new Error(`Cargo.toml has no ${key} in [[workspace.metadata.leptos]]`);
  return found[1];
};
const name = setting('output-name');
// `site-root` is cargo-leptos' (and `cargo leptos watch`'s) debug site; a release has its own.
const site = join(root, release ? 'target/site-release' : setting('site-root'));
if (process.argv.includes('--print-site')) {
  console.log(site);
  process.exit(0);
}
const pkg = join(site, setting('site-pkg-dir'));
const frontProfile = release ? setting('lib-profile-release') : 'dev';
const frontTarget = join(root, 'target', 'front');

// .cargo/config.toml erases Leptos' view types (`--cfg erase_components`) for every build, which
// keeps debug artifacts small; a release keeps the full types instead: erased, the islands'
// WASM was 19 % larger (109.4 KB brotli against 91.8 KB). An empty RUSTFLAGS overrides it.
const cargoEnv = release ? { ...process.env, RUSTFLAGS: '' } : process.env;

const run = (command, args) => {
  console.log(`[build-site] ${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd: root, stdio: 'inherit', env: cargoEnv });
};
const timed = (label, step) => {
  const start = Date.now();
  step();
  console.log(`[build-site] ${label}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
};

rmSync(site, { recursive: true, force: true });
mkdirSync(pkg, { recursive: true });

timed('front', () => {
  run('cargo', ['build', `--package=${setting('lib-package')}`, '--lib', `--target-dir=${frontTarget}`,
    '--target=wasm32-unknown-unknown', `--profile=${frontProfile}`]);
  const profileDir = frontProfile === 'dev' ? 'debug' : frontProfile;
  const wasm = join(frontTarget, 'wasm32-unknown-unknown', profileDir, `${setting('lib-package')}.wasm`);
  run('wasm-bindgen', ['--target=web', `--out-name=${name}`, `--out-dir=${pkg}`, wasm]);
  renameSync(join(pkg, `${name}_bg.wasm`), join(pkg, `${name}.wasm`));
  if (release) {
    const out = join(pkg, `${name}.wasm`);
    run(join(tools, 'wasm-opt'), ['-Oz', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', out, '-o', out]);
    const js = join(pkg, `${name}.js`);
    run(join(tools, 'esbuild'), [js, '--minify', '--format=esm', `--outfile=${js}`, '--allow-overwrite', '--log-level=warning']);
  }
});

timed('style', () => {
  const args = [`--targets=${setting('browserquery')}`, join(root, setting('style-file')), '-o', join(pkg, `${name}.css`)];
  run(join(tools, 'lightningcss'), release ? ['--minify', ...args] : args);
});

const copyTree = (from, to) => {
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    const target = join(to, entry);
    if (statSync(source).isDirectory()) {
      mkdirSync(target, { recursive: true });
      copyTree(source, target);
    } else {
      copyFileSync(source, target);
    }
  }
};
copyTree(join(root, setting('assets-dir')), site);

if (release) {
  timed('precompress', () => {
    const compressTree = (dir) => {
      for (const entry of readdirSync(dir)) {
        const file = join(dir, entry);
        if (statSync(file).isDirectory()) {
          compressTree(file);
        } else if (!file.endsWith('.br') && !file.endsWith('.gz')) {
          const bytes = readFileSync(file);
          writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
          writeFileSync(`${file}.br`, brotliCompressSync(bytes, {
            params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
          }));
        }
      }
    };
    compressTree(site);
  });
}

timed('server', () => {
  run('cargo', ['build', `--package=${setting('bin-package')}`, `--bin=${setting('bin-target')}`,
    ...(release ? ['--release'] : [])]);
});
