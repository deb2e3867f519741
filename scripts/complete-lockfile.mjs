#!/usr/bin/env node
// The npm registry this project installs from serves only some platform builds of packages such as @swc/core and
// @unrs/resolver-binding. `npm install` then leaves their optional entries out of package-lock.json, and `npm ci`
// refuses the lock as "out of sync". This adds an entry, tagged with its os/cpu (and libc), for every optional
// dependency missing from the lock, so `npm ci` skips it on machines it does not fit (and tries it where it does,
// tolerating failure as it does for any optional dependency). Run after `npm install`: `node scripts/complete-lockfile.mjs`.
import {readFileSync, writeFileSync} from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

const OS = [
  ['darwin', 'darwin'],
  ['win32', 'win32'],
  ['freebsd', 'freebsd'],
  ['android', 'android'],
  ['openharmony', 'openharmony'],
  ['linux', 'linux'],
  ['wasm32', null],
];
const CPU = [
  ['arm64', 'arm64'],
  ['aarch64', 'arm64'],
  ['x64', 'x64'],
  ['ia32', 'ia32'],
  ['arm-', 'arm'],
  ['arm', 'arm'],
  ['ppc64', 'ppc64'],
  ['s390x', 's390x'],
  ['riscv64', 'riscv64'],
  ['loong64', 'loong64'],
  ['wasm32', 'wasm32'],
];

function platformOf(name) {
  const base = name.split('/').pop();
  const os = OS.find(([key]) => base.includes(key))?.[1];
  const cpu = CPU.find(([key]) => base.includes(key))?.[1];
  const libc = base.includes('musl') ? 'musl' : base.includes('gnu') ? 'glibc' : undefined;
  return {os, cpu, libc};
}

let added = 0;
for (const [location, pkg] of Object.entries(packages)) {
  for (const [dep, spec] of Object.entries(pkg.optionalDependencies ?? {})) {
    const prefix = location === '' ? '' : `${location}/`;
    const candidates = [`${prefix}node_modules/${dep}`, `node_modules/${dep}`];
    if (candidates.some((c) => packages[c])) continue;
    const {os, cpu, libc} = platformOf(dep);
    if (!os && !cpu) continue; // not a platform build: leave it to npm
    packages[`node_modules/${dep}`] = {
      version: spec.replace(/^[~^=]/, ''),
      ...(cpu ? {cpu: [cpu]} : {}),
      ...(os ? {os: [os]} : {}),
      ...(libc ? {libc: [libc]} : {}),
      optional: true,
    };
    added += 1;
  }
}
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform entries`);
