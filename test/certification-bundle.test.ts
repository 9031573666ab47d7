import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { type Header, pack } from 'tar-stream';

import { type Envelope, pae } from '../src/bundle/dsse.ts';
import { ENVELOPE, type Manifest, PUBLIC_KEY } from '../src/bundle/manifest.ts';
import { KNOWN_SUITE_VERSIONS, suiteDigest } from '../src/bundle/suite.ts';
import { readTar, TarError, writeTar } from '../src/bundle/tar.ts';
import { verifyBundle } from '../src/bundle/verify.ts';
import { PACKAGE_ROOT } from '../src/package-layout.ts';
import { DEFAULT_OPTIONS } from '../src/runner/options.ts';
import { type RunOutcome, runConformance } from '../src/runner/run.ts';

type HeaderArgument = Partial<Header> & Pick<Header, 'name'>;

const W47 = { platform: 'windows', clientVersion: '4.7' } as const;
const CLI = path.join(PACKAGE_ROOT, 'bin', 'connector-conformance.js');
const PRODUCT =
  'vendor: Acme\nproduct: Client Connector\nversion: 4.7.0.61\nbuild: 4.7.0.61-win-x64\nplatforms: [windows]\n';

let scratch: string;
const keyFile = (name: string) => path.join(scratch, name);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function failures(archive: Buffer, key?: Parameters<typeof verifyBundle>[1]): Promise<string[]> {
  return (await verifyBundle(archive, key)).checks
    .filter((check) => check.outcome === 'fail')
    .map((check) => check.text);
}

/** The archive with one byte of `name`'s contents changed. */
async function tampered(archive: Buffer, name: string): Promise<Buffer> {
  const entries = await readTar(archive);
  const entry = entries.find((e) => e.name === name);
  assert.ok(entry, name);
  const at = Math.floor(entry.data.length / 2);
  entry.data[at] = (entry.data[at] ?? 0) ^ 0x01;
  return writeTar(entries, 0);
}

/** The bundle with its envelope replaced by what `edit` makes of it. */
async function withEnvelope(archive: Buffer, edit: (envelope: Envelope) => unknown): Promise<Buffer> {
  const entries = await readTar(archive);
  return writeTar(
    entries.map(({ name, data }) => ({
      name,
      data: name === ENVELOPE ? Buffer.from(JSON.stringify(edit(JSON.parse(data.toString('utf8'))))) : data,
    })),
    0,
  );
}

/** The statement an envelope carries, read without the harness's code. */
function statementOf(envelope: Envelope): Manifest {
  return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Manifest;
}

before(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'bundle-'));
  for (const [name, type] of [
    ['signer.pem', 'ed25519'],
    ['other.pem', 'ed25519'],
  ] as const) {
    const { privateKey } = generateKeyPairSync(type);
    await writeFile(keyFile(name), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  }
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  await writeFile(keyFile('rsa.pem'), rsa.export({ type: 'pkcs8', format: 'pem' }));
  await writeFile(keyFile('product.yaml'), PRODUCT);
});
after(() => rm(scratch, { recursive: true, force: true }));

describe('run --bundle and verify', () => {
  let outcome: RunOutcome;
  let archive: Buffer;
  before(async () => {
    outcome = await runConformance({
      reportDir: path.join(scratch, 'reports'),
      targets: [W47],
      defect: 'partner-domain-not-enforced',
      bundle: { productFile: keyFile('product.yaml'), signingKeyFile: keyFile('signer.pem') },
    });
    assert.ok(outcome.bundle);
    archive = await readFile(outcome.bundle.file);
  });

  it('holds the signed manifest, the reports, JUnit, messages and the page, each a subject with its SHA-256', async () => {
    const entries = await readTar(archive);
    const names = entries.map((entry) => entry.name);
    assert.deepEqual(names.slice(0, 5), [
      'attestation.intoto.jsonl',
      'public-key.pem',
      'conformance.json',
      'index.html',
      'summary.md',
    ]);
    for (const file of ['cucumber.html', 'junit.xml', 'messages.ndjson']) {
      assert.ok(names.includes(`targets/windows-4.7/${file}`), file);
    }
    const envelopeText = entries.find((entry) => entry.name === ENVELOPE)?.data.toString('utf8') ?? '';
    assert.match(envelopeText, /^[^\n]+\n$/, 'one envelope on one line (JSON Lines)');
    const envelope = JSON.parse(envelopeText) as Envelope;
    assert.equal(envelope.payloadType, 'application/vnd.in-toto+json');
    const statement = statementOf(envelope);
    assert.equal(statement._type, 'https://in-toto.io/Statement/v1');
    assert.equal(statement.predicateType, 'https://connector-conformance.local/certification/v1');
    const { predicate } = statement;
    assert.deepEqual(predicate.product, {
      vendor: 'Acme',
      product: 'Client Connector',
      version: '4.7.0.61',
      build: '4.7.0.61-win-x64',
      platforms: ['windows'],
    });
    assert.equal(predicate.suite.version, outcome.report.suite.version);
    assert.equal(predicate.suite.sha256, KNOWN_SUITE_VERSIONS[outcome.report.suite.version]);
    assert.equal(predicate.environment.node, process.version);
    assert.equal(predicate.environment.browser, null);
    assert.equal(predicate.run.exitCode, 1);
    assert.deepEqual(
      statement.subject.map((subject) => subject.name),
      names.slice(2),
    );
    assert.equal(outcome.bundle?.generatedKey, false);
  });

  it('the envelope verifies by the DSSE protocol with node:crypto alone, as a certifier’s own tool would', async () => {
    const files = new Map((await readTar(archive)).map((entry) => [entry.name, entry.data]));
    const envelope = JSON.parse(files.get(ENVELOPE)?.toString('utf8') ?? '') as Envelope;
    const payload = Buffer.from(envelope.payload, 'base64');
    const type = envelope.payloadType;
    const message = Buffer.concat([
      Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${payload.length} `),
      payload,
    ]);
    const key = createPublicKey(await readFile(keyFile('signer.pem')));
    const [signature, ...more] = envelope.signatures;
    assert.equal(more.length, 0);
    assert.ok(verify(null, message, key, Buffer.from(signature?.sig ?? '', 'base64')));
    assert.equal(files.get(PUBLIC_KEY)?.toString(), key.export({ type: 'spki', format: 'pem' }).toString());
    for (const { name, digest } of statementOf(envelope).subject) {
      const data = files.get(name);
      assert.ok(data, name);
      assert.equal(createHash('sha256').update(data).digest('hex'), digest.sha256, name);
    }
  });

  it('an untampered bundle verifies, with the key it carries and with the signer’s key given', async () => {
    assert.deepEqual(await failures(archive), []);
    const { code, stdout } = await cli([
      'verify',
      outcome.bundle?.file ?? '',
      '--public-key',
      keyFile('signer.pem'),
    ]);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /✓ signature: valid, by the key given with --public-key \(SHA256:/);
    assert.match(stdout, /✓ files: all \d+ match their SHA-256 in the manifest/);
    assert.match(stdout, /✓ suite: .* 0\.2\.0, digest [0-9a-f]{12}… is that version's published digest/);
    assert.match(stdout, /· product: Acme Client Connector 4\.7\.0\.61, build 4\.7\.0\.61-win-x64/);
    assert.match(stdout, /result: the bundle verifies \(exit 0\)\n$/);
  });

  it('one byte changed in one file fails verify, naming that file and nothing else', async () => {
    const file = path.join(scratch, 'tampered.tar');
    await writeFile(file, await tampered(archive, 'targets/windows-4.7/junit.xml'));
    const { code, stdout } = await cli(['verify', file]);
    assert.equal(code, 1, stdout);
    const failed = stdout.split('\n').filter((line) => line.startsWith('✗'));
    assert.deepEqual(failed, [
      '✗ targets/windows-4.7/junit.xml: its contents differ from the SHA-256 in the manifest (changed after signing)',
    ]);
    assert.match(stdout, /result: the bundle does not verify \(exit 1\): 1 check failed/);
  });

  it('a changed manifest, or its payload type, fails the signature and nothing else', async () => {
    const carried =
      /^signature: the manifest in attestation\.intoto\.jsonl is not signed by the key the bundle carries \(SHA256:[^)]+\)$/;
    const edited = await withEnvelope(archive, (envelope) => {
      const statement = statementOf(envelope);
      statement.predicate.run.exitCode = 0;
      return { ...envelope, payload: Buffer.from(JSON.stringify(statement)).toString('base64') };
    });
    const [first, ...rest] = await failures(edited);
    assert.match(first ?? '', carried);
    assert.deepEqual(rest, []);
    const retyped = await failures(
      await withEnvelope(archive, (envelope) => ({ ...envelope, payloadType: 'application/json' })),
    );
    assert.equal(retyped.length, 2, retyped.join('; '));
    assert.match(retyped[0] ?? '', carried);
    assert.equal(
      retyped[1],
      'attestation.intoto.jsonl: the payload type is "application/json", not application/vnd.in-toto+json',
    );
  });

  it('an envelope that is no DSSE envelope, or carries no statement, is named', async () => {
    const cases: [(envelope: Envelope) => unknown, string][] = [
      [
        (envelope) => ({ ...envelope, signatures: [] }),
        'attestation.intoto.jsonl: /signatures must NOT have fewer than 1 items',
      ],
      [
        ({ payload: _, ...rest }) => rest,
        "attestation.intoto.jsonl: (envelope) must have required property 'payload'",
      ],
      [
        (envelope) => ({ ...envelope, payload: Buffer.from('{"_type":"x"}').toString('base64') }),
        "attestation.intoto.jsonl: (statement) must have required property 'subject'",
      ],
      [
        (envelope) => ({ ...envelope, payload: Buffer.from('[1,').toString('base64') }),
        'attestation.intoto.jsonl: the payload is not JSON',
      ],
    ];
    for (const [edit, expected] of cases) {
      const failed = await failures(await withEnvelope(archive, edit));
      assert.ok(
        failed.some((line) => line.startsWith(expected)),
        `${expected} in ${failed.join('; ')}`,
      );
    }
  });

  it('a bundle signed with another key fails when the expected key is given', async () => {
    const { code, stdout } = await cli([
      'verify',
      outcome.bundle?.file ?? '',
      '--public-key',
      keyFile('other.pem'),
    ]);
    assert.equal(code, 1);
    assert.match(
      stdout,
      /✗ signature: the manifest in attestation\.intoto\.jsonl is not signed by the key given with --public-key \(SHA256:[^)]+\); the bundle carries another key \(SHA256:/,
    );
  });

  it('files added or removed after signing are named', async () => {
    const entries = await readTar(archive);
    const rebuilt = await writeTar(
      [
        ...entries.filter((entry) => entry.name !== 'summary.md'),
        { name: 'extra.txt', data: Buffer.from('x') },
      ],
      0,
    );
    assert.deepEqual(await failures(rebuilt), [
      'summary.md: listed in the manifest, missing from the bundle',
      'extra.txt: in the bundle, not in the manifest (added after signing)',
    ]);
  });

  it('a file that appears twice is named, and the copy a tar would unpack last is the one checked', async () => {
    const doubled = await writeTar(
      [...(await readTar(archive)), { name: 'summary.md', data: Buffer.from('another summary') }],
      0,
    );
    assert.deepEqual(await failures(doubled), [
      'summary.md: appears twice in the bundle',
      'summary.md: its contents differ from the SHA-256 in the manifest (changed after signing)',
    ]);
  });

  it('an unreadable bundle, or a bad key file, is exit 2 with one line', async () => {
    const junk = path.join(scratch, 'junk.tar');
    await writeFile(junk, archive.subarray(0, 700));
    const cut = await cli(['verify', junk]);
    assert.equal(cut.code, 2);
    assert.match(cut.stderr, /^connector-conformance verify: .*junk\.tar: not a readable bundle: .*\n$/);
    const escaping = path.join(scratch, 'escaping.tar');
    await writeFile(escaping, await rawTar([{ name: '../../etc/cron.d/x', type: 'file' }]));
    const refused = await cli(['verify', escaping]);
    assert.equal(refused.code, 2);
    assert.equal(
      refused.stderr,
      `connector-conformance verify: ${escaping}: not a readable bundle: the entry "../../etc/cron.d/x" has an empty, "." or ".." path segment\n`,
    );
    assert.equal(refused.stdout, '');
    const badKey = await cli(['verify', outcome.bundle?.file ?? '', '--public-key', keyFile('rsa.pem')]);
    assert.equal(badKey.code, 2);
    assert.equal(
      badKey.stderr,
      `connector-conformance verify: --public-key ${keyFile('rsa.pem')}: an rsa key, not Ed25519\n`,
    );
  });
});

describe('bundle inputs', () => {
  const start = async (bundle: NonNullable<Parameters<typeof runConformance>[0]>['bundle']) => {
    const { report } = await runConformance({
      reportDir: path.join(scratch, 'refused'),
      targets: [W47],
      bundle,
    });
    assert.equal(report.run.exitCode, 2);
    assert.equal(report.summary.scenarios, 0);
    return report.run.errors;
  };

  it('a bad product file stops the run with one line naming the field, and the run still reports', async () => {
    const cases: [string, string][] = [
      ['vendor: Acme\nproduct: P\nversion: "1"\n', 'field "build" is missing'],
      ['vendor: Acme\nproduct: P\nversion: 1.2\nbuild: b\n', 'field "version" must be string'],
      ['vendor: Acme\nproduct: P\nversion: "1"\nbuild: b\ncolour: red\n', 'unknown field "colour"'],
      [
        'vendor: Acme\nproduct: P\nversion: "1"\nbuild: b\nplatforms: [linux]\n',
        'field "platforms.0" must be equal to one of the allowed values (["windows","macos"])',
      ],
      ['vendor: [unclosed\n', 'not valid YAML'],
    ];
    for (const [text, expected] of cases) {
      const file = keyFile('bad-product.yaml');
      await writeFile(file, text);
      const errors = await start({ productFile: file });
      assert.equal(errors.length, 1);
      assert.ok(errors[0]?.startsWith(`--product ${file}: ${expected}`), errors[0]);
      assert.ok(!errors[0]?.includes('\n'));
    }
  });

  it('a signing key that is not Ed25519, or missing, stops the run with one line', async () => {
    assert.deepEqual(await start({ signingKeyFile: keyFile('rsa.pem') }), [
      `--signing-key ${keyFile('rsa.pem')}: an rsa key, not Ed25519 (make one: openssl genpkey -algorithm ed25519 -out key.pem)`,
    ]);
    assert.deepEqual(await start({ signingKeyFile: keyFile('missing.pem') }), [
      `--signing-key ${keyFile('missing.pem')}: cannot read it (ENOENT)`,
    ]);
  });

  it('without --signing-key the CLI signs with a fresh key and prints its public half and fingerprint', async () => {
    const reports = path.join(scratch, 'cli-reports');
    const { code, stdout } = await cli([
      'run',
      '--report-dir',
      reports,
      '--platform',
      'macos',
      '--bundle',
      '--no-color',
    ]);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /bundle: .*certification-bundle\.tar \(\d+ report files, signed with Ed25519\)/);
    const pem = /-----BEGIN PUBLIC KEY-----\n[^-]+-----END PUBLIC KEY-----\n/.exec(stdout)?.[0];
    assert.ok(pem, stdout);
    const fingerprint = /\nfingerprint: (SHA256:\S+)\n/.exec(stdout)?.[1];
    await writeFile(keyFile('printed.pem'), pem);
    const verified = await cli([
      'verify',
      path.join(reports, 'certification-bundle.tar'),
      '--public-key',
      keyFile('printed.pem'),
    ]);
    assert.equal(verified.code, 0, verified.stdout);
    assert.ok(fingerprint && verified.stdout.includes(fingerprint));
    const refused = await cli(['run', '--report-dir', reports, '--product', keyFile('product.yaml')]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^connector-conformance: --product: goes with --bundle\n/);
  });
});

describe('the suite digest', () => {
  it('the current suite is a published version: a changed feature, catalog or fixture needs suite-versions.json', async () => {
    const version = JSON.parse(await readFile(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'))
      .version as string;
    const digest = await suiteDigest(path.join(PACKAGE_ROOT, 'features'), DEFAULT_OPTIONS.fixturesDir);
    assert.equal(
      KNOWN_SUITE_VERSIONS[version],
      digest.sha256,
      `src/bundle/suite-versions.json: list ${version} as ${digest.sha256} (and bump the version if a released suite changed)`,
    );
  });

  it('one byte changed in a fixture changes the digest', async () => {
    const copy = path.join(scratch, 'fixtures');
    await cp(DEFAULT_OPTIONS.fixturesDir, copy, { recursive: true });
    const file = path.join(copy, 'schema', (await readdir(path.join(copy, 'schema')))[0] ?? '');
    await writeFile(file, `${await readFile(file, 'utf8')} `);
    const features = path.join(PACKAGE_ROOT, 'features');
    const original = await suiteDigest(features, DEFAULT_OPTIONS.fixturesDir);
    const changed = await suiteDigest(features, copy);
    assert.notEqual(changed.sha256, original.sha256);
    assert.equal(changed.parts.features, original.parts.features);
    assert.notEqual(changed.parts.fixtures, original.parts.fixtures);
  });
});

/** An archive of `headers`, written by tar-stream as given: what a hostile bundle could hold. */
async function rawTar(headers: HeaderArgument[]): Promise<Buffer> {
  const archive = pack();
  for (const header of headers) {
    if (header.type === 'file') archive.entry(header, Buffer.from('x'));
    else archive.entry(header);
  }
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('the tar archive', () => {
  it('round-trips long and non-ASCII paths, skipping directories', async () => {
    const long = `targets/windows-4.7/evidence/${'a'.repeat(90)}/${'b'.repeat(90)}.png`;
    const longer = `${'c/'.repeat(150)}d.png`;
    const entries = [
      { name: 'short.txt', data: Buffer.from('short') },
      { name: long, data: Buffer.alloc(1000, 7) },
      { name: longer, data: Buffer.alloc(0) },
      { name: 'évidence/capture.png', data: Buffer.from('png') },
    ];
    assert.deepEqual(await readTar(await writeTar(entries, 1_700_000_000)), entries);
    const withDirectory = await rawTar([
      { name: 'targets', type: 'directory' },
      { name: 'targets/a', type: 'file' },
    ]);
    assert.deepEqual(await readTar(withDirectory), [{ name: 'targets/a', data: Buffer.from('x') }]);
  });

  it('refuses a hostile, damaged or foreign archive with one line', async () => {
    const valid = await writeTar([{ name: 'short.txt', data: Buffer.from('short') }], 0);
    const big = await writeTar([{ name: 'big', data: Buffer.alloc(1 << 20) }], 0);
    const damaged = Buffer.from(valid);
    damaged[0] = 0x41;
    const file = (name: string): HeaderArgument => ({ name, type: 'file' });
    const cases: [string, Buffer, RegExp][] = [
      ['not a tar file', Buffer.from('not a tar archive'), /ends without its end-of-archive blocks/],
      ['an empty file', Buffer.alloc(0), /ends without its end-of-archive blocks/],
      ['cut short', valid.subarray(0, valid.length - 512), /ends without its end-of-archive blocks/],
      [
        'an entry larger than the archive',
        Buffer.concat([big.subarray(0, 512), Buffer.alloc(1024)]),
        /^the archive ends inside an entry \(cut short\)$/,
      ],
      ['a damaged header', damaged, /^a header fails its checksum/],
      [
        'blocks of junk',
        Buffer.concat([Buffer.alloc(512, 'x'), Buffer.alloc(1024)]),
        /^a header fails its checksum/,
      ],
      [
        'a parent path',
        await rawTar([file('../x')]),
        /^the entry "\.\.\/x" has an empty, "\." or "\.\." path segment$/,
      ],
      ['a path out and back', await rawTar([file('a/../../x')]), /"a\/\.\.\/\.\.\/x" has an empty/],
      ['an empty segment', await rawTar([file('a//b')]), /"a\/\/b" has an empty/],
      [
        'an absolute path',
        await rawTar([file('/etc/passwd')]),
        /^the entry "\/etc\/passwd" has an absolute or Windows path/,
      ],
      ['a drive letter', await rawTar([file('C:/x')]), /"C:\/x" has an absolute or Windows path/],
      ['a backslash', await rawTar([file('a\\..\\x')]), /has an absolute or Windows path/],
      ['a newline in a name', await rawTar([file('../a\nb')]), /^the entry "\.\.\/a\\nb" has/],
      [
        'a symlink',
        await rawTar([{ name: 'link', type: 'symlink', linkname: '/etc/passwd' }]),
        /^the entry "link" is a symlink; a bundle holds only files$/,
      ],
      [
        'a hard link',
        await rawTar([{ name: 'hard', type: 'link', linkname: 'x' }]),
        /"hard" is a link; a bundle/,
      ],
      ['a fifo', await rawTar([{ name: 'pipe', type: 'fifo' }]), /"pipe" is a fifo; a bundle/],
    ];
    for (const [what, archive, expected] of cases) {
      await assert.rejects(readTar(archive), (error: unknown) => {
        assert.ok(error instanceof TarError, what);
        assert.match(error.message, expected, what);
        assert.ok(!error.message.includes('\n'), what);
        return true;
      });
    }
  });
});

describe('DSSE', () => {
  it('PAE is the protocol’s pre-authentication encoding (its own example)', () => {
    assert.equal(
      pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString(),
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
    assert.equal(pae('t', Buffer.from('é')).toString(), 'DSSEv1 1 t 2 é', 'lengths in bytes');
  });
});
