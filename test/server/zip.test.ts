// POST /scan/zip with honest and hostile archives. The hostile ones are built here: yazl writes a
// valid ZIP, and a few bytes are then patched to lie (names, flags, declared sizes).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { readZip } from '../../server/modules/scans/zip.js';
import { envelopeOf, startServer, TARGETS, VULNERABLE_AGENT, warnSkip, withKey, type TestServer } from './helpers.js';

interface Entry {
  name: string;
  data: Buffer | string;
  store?: boolean;
}

function makeZip(entries: Entry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(Buffer.from(e.data), e.name, { compress: !e.store });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** Same-length byte replacement everywhere (local headers and central directory). */
function patchBytes(buf: Buffer, from: string, to: string): Buffer {
  if (from.length !== to.length) throw new Error('same length only');
  const out = Buffer.from(buf);
  let i = out.indexOf(from);
  while (i !== -1) {
    out.write(to, i, 'latin1');
    i = out.indexOf(from, i + 1);
  }
  return out;
}

/** Visits every central directory record (signature PK\1\2). */
function patchCentral(buf: Buffer, fn: (b: Buffer, at: number) => void): Buffer {
  const out = Buffer.from(buf);
  for (let i = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); i !== -1; i = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), i + 4)) fn(out, i);
  return out;
}

function patchLocal(buf: Buffer, fn: (b: Buffer, at: number) => void): Buffer {
  const out = Buffer.from(buf);
  for (let i = out.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04])); i !== -1; i = out.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]), i + 4)) fn(out, i);
  return out;
}

function multipart(file: Buffer, fields: Record<string, string> = {}, fileField = 'file'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----agentcop${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="project.zip"\r\nContent-Type: application/zip\r\n\r\n`));
  parts.push(file, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const honest = () =>
  makeZip([
    { name: 'agents/bot.py', data: VULNERABLE_AGENT },
    { name: 'agents/tools.ts', data: 'export const add = (a: number, b: number) => a + b;\n' },
    { name: 'README.md', data: '# not scanned\n' },
    { name: 'node_modules/dep/index.js', data: 'eval(process.argv[2]);\n' },
    { name: 'assets/logo.png', data: randomBytes(100), store: true },
  ]);

describe('readZip (unit)', () => {
  it('reads supported files, skips the rest and vendored folders', async () => {
    const r = await readZip(await honest());
    expect(r.files.map((f) => f.path).sort()).toEqual(['agents/bot.py', 'agents/tools.ts']);
    expect(r.entries).toBe(5);
  });

  it('counts real inflated bytes: a header that under-declares is caught while reading', async () => {
    const big = 'x = 1\n'.repeat(50_000); // 300 KB, compresses well below the ratio floor check below
    const zip = patchCentral(await makeZip([{ name: 'big.py', data: big }]), (b, at) => b.writeUInt32LE(1_000, at + 24));
    await expect(readZip(zip, { maxEntries: 10, maxTotalBytes: 10_000_000, maxRatio: 1e9, ratioFloorBytes: 1e9, maxFileBytes: 1e9 })).rejects.toMatchObject({
      error: 'zip_size_mismatch',
    });
  });

  it('the running total stops inflation once the cap is passed even if declared sizes were small', async () => {
    const a = 'a = 1\n'.repeat(40_000);
    const zip = patchCentral(
      await makeZip([
        { name: 'a.py', data: a },
        { name: 'b.py', data: a },
      ]),
      (b, at) => b.writeUInt32LE(100, at + 24),
    );
    // declared total 200 bytes passes; the real 480 KB does not fit a 300 KB budget
    await expect(readZip(zip, { maxEntries: 10, maxTotalBytes: 300_000, maxRatio: 1e9, ratioFloorBytes: 1e9, maxFileBytes: 1e9 })).rejects.toMatchObject({
      statusCode: 400,
    });
  });
});

for (const target of TARGETS) {
  describe(`POST /scan/zip (${target.name})`, () => {
    if (!target.available) {
      warnSkip(`ZIP tests on ${target.name}`, target.reason!);
      it.skip(`${target.name}: ${target.reason}`, () => {});
      return;
    }
    let s: TestServer;
    beforeAll(async () => {
      s = await startServer(target);
    });
    afterAll(async () => s?.close());

    const upload = (zip: Buffer, fields: Record<string, string> = {}, fileField?: string) => {
      const { payload, headers } = multipart(zip, fields, fileField);
      return s.app.inject({ method: 'POST', url: '/api/v1/scan/zip', headers: withKey(s.key, headers), payload });
    };
    const storedCount = async () => Number((await s.app.db.selectFrom('scans').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const scansUsed = async () => (await s.app.inject({ url: '/api/v1/account', headers: withKey(s.key) })).json().usage_today.scans as number;

    it('scans every supported file inside an honest ZIP, and caches it', async () => {
      const zip = await honest();
      const res = await upload(zip, { agent_name: 'zipped', framework: 'langchain' });
      expect(res.statusCode).toBe(201);
      const r = res.json();
      expect(r.files_scanned).toBe(2);
      expect(r.total_issues).toBeGreaterThan(0);
      expect(r.issues.every((i: { file: string }) => i.file.startsWith('agents/'))).toBe(true);
      expect(r.source).toBe('zip');
      expect(r.agent_name).toBe('zipped');
      expect(r.share_url).toContain(r.scan_id);
      const again = await upload(zip, { agent_name: 'zipped', framework: 'langchain' });
      expect(again.statusCode).toBe(200);
      expect(again.json().scan_id).toBe(r.scan_id);
    });

    const hostile: [string, () => Promise<Buffer>, string][] = [
      ['not a ZIP at all', async () => randomBytes(4096), 'invalid_zip'],
      ['a text file named .zip', async () => Buffer.from('just text, honestly\n'.repeat(50)), 'invalid_zip'],
      ['a "../evil.py" entry', async () => patchBytes(await makeZip([{ name: 'xx/evil.py', data: 'print(1)\n' }]), 'xx/evil.py', '../evil.py'), 'zip_unsafe_path'],
      ['a nested "a/../../evil.py" entry', async () => patchBytes(await makeZip([{ name: 'a/xx/yy/evil.py', data: 'print(1)\n' }]), 'a/xx/yy/evil.py', 'a/../../evil.py'), 'zip_unsafe_path'],
      ['an absolute "/etc/evil.py" entry', async () => patchBytes(await makeZip([{ name: 'xetc/evil.py', data: 'print(1)\n' }]), 'xetc/evil.py', '/etc/evil.py'), 'zip_unsafe_path'],
      ['a Windows "C:/evil.py" entry', async () => patchBytes(await makeZip([{ name: 'xx/evil.py', data: 'print(1)\n' }]), 'xx/evil.py', 'C:/evil.py'), 'zip_unsafe_path'],
      [
        'an encrypted entry',
        async () => {
          const z = await makeZip([{ name: 'secret.py', data: 'print(1)\n' }]);
          return patchLocal(patchCentral(z, (b, at) => b.writeUInt16LE(b.readUInt16LE(at + 8) | 1, at + 8)), (b, at) => b.writeUInt16LE(b.readUInt16LE(at + 6) | 1, at + 6));
        },
        'zip_encrypted',
      ],
      ['5,001 entries', async () => makeZip(Array.from({ length: 5_001 }, (_, i) => ({ name: `f${i}.txt`, data: '', store: true }))), 'zip_too_many_entries'],
      ['a zip bomb (20 MB of zeros, ratio ~1000:1)', async () => makeZip([{ name: 'bomb.py', data: Buffer.alloc(20 * 1024 * 1024) }]), 'zip_bomb'],
      [
        'declared sizes over 50 MiB in total',
        async () =>
          patchCentral(
            await makeZip([
              { name: 'a.py', data: randomBytes(64 * 1024).toString('base64') },
              { name: 'b.py', data: randomBytes(64 * 1024).toString('base64') },
            ]),
            // 30 MB each, and a compressed size that keeps the ratio plausible (30:1)
            (b, at) => {
              b.writeUInt32LE(1024 * 1024, at + 20);
              b.writeUInt32LE(30 * 1024 * 1024, at + 24);
            },
          ),
        'zip_too_large_uncompressed',
      ],
      [
        'an entry that inflates past its declared size',
        async () => patchCentral(await makeZip([{ name: 'liar.py', data: 'y = 2\n'.repeat(30_000) }]), (b, at) => b.writeUInt32LE(10, at + 24)),
        'zip_size_mismatch',
      ],
    ];

    for (const [what, make, code] of hostile) {
      it(`refuses ${what}: 400 ${code}, nothing stored, no quota taken`, async () => {
        const before = { stored: await storedCount(), used: await scansUsed() };
        const res = await upload(await make());
        expect(res.statusCode).toBe(400);
        const env = envelopeOf(res);
        expect(env.error).toBe(code);
        expect(env.message.length).toBeGreaterThan(10);
        expect({ stored: await storedCount(), used: await scansUsed() }).toEqual(before);
      });
    }

    it('413 over 10 MB, with nothing stored', async () => {
      const before = await storedCount();
      const res = await upload(randomBytes(10 * 1024 * 1024 + 1));
      expect(res.statusCode).toBe(413);
      expect(envelopeOf(res).error).toBe('payload_too_large');
      expect(await storedCount()).toBe(before);
    });

    it('400 for a missing file, a wrong field name or an unknown field', async () => {
      const zip = await honest();
      const wrong = await upload(zip, {}, 'upload');
      expect(wrong.statusCode).toBe(400);
      expect(envelopeOf(wrong).error).toBe('validation_failed');
      const unknown = await upload(zip, { colour: 'blue' });
      expect(unknown.statusCode).toBe(400);
      const boundary = 'b0undary';
      const noFile = await s.app.inject({
        method: 'POST',
        url: '/api/v1/scan/zip',
        headers: withKey(s.key, { 'content-type': `multipart/form-data; boundary=${boundary}` }),
        payload: `--${boundary}\r\nContent-Disposition: form-data; name="agent_name"\r\n\r\nx\r\n--${boundary}--\r\n`,
      });
      expect(noFile.statusCode).toBe(400);
      expect(envelopeOf(noFile).message).toMatch(/file/);
    });
  });
}
