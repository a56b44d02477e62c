// Node mailauth's authenticate() over the benchmark corpus, timed inside Node.
//
//   node node_authenticate.mjs MAILAUTH_DIR CORPUS_DIR RECORDS_JSON OPTIONS_JSON
//
// Started once by bench/verify_vs_peers.py, which then writes one command per line:
//   pass      -> authenticate() every message once, in order; prints {"times": [ms, ...]}
//   verdicts  -> prints {"verdicts": [{"dkim": [...], "arc": "...", "dmarc": "..."}, ...]}
//   quit
// DNS is answered from memory (the same records the Python tools get) through the
// documented `resolver` hook, with dns.promises' error codes (ENOTFOUND, ENODATA).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';

const [mailauthDir, corpusDir, recordsPath, optionsPath] = process.argv.slice(2);
const require = createRequire(join(mailauthDir, 'package.json'));
const { authenticate } = require('mailauth');

const records = JSON.parse(readFileSync(recordsPath, 'utf8')); // {TYPE: {name: [values]}}
const options = JSON.parse(readFileSync(optionsPath, 'utf8')); // ip, helo, sender, mta
const files = readdirSync(corpusDir).filter(f => f.endsWith('.eml')).sort();
const messages = files.map(f => readFileSync(join(corpusDir, f)));
const names = new Set(Object.values(records).flatMap(table => Object.keys(table)));

const chunks = text => {
    const out = [];
    for (let i = 0; i < text.length; i += 255) out.push(text.slice(i, i + 255));
    return out.length ? out : [''];
};

const resolver = async (name, rrtype) => {
    const key = String(name).toLowerCase().replace(/\.$/, '');
    const found = records[rrtype]?.[key];
    if (!found) {
        const err = new Error(`${rrtype} ${key}`);
        err.code = names.has(key) ? 'ENODATA' : 'ENOTFOUND';
        throw err;
    }
    if (rrtype === 'TXT') return found.map(chunks);
    if (rrtype === 'MX') return found.map(v => ({ priority: v[0], exchange: v[1] }));
    return found;
};

const run = async message =>
    authenticate(message, {
        ip: options.ip,
        helo: options.helo,
        sender: options.sender,
        mta: options.mta,
        resolver,
        disableBimi: true // mailauth verify does no BIMI either
    });

const write = obj => process.stdout.write(JSON.stringify(obj) + '\n');

const commands = createInterface({ input: process.stdin });
for await (const line of commands) {
    const command = line.trim();
    if (command === 'pass') {
        const times = [];
        for (const message of messages) {
            const started = process.hrtime.bigint();
            await run(message);
            times.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
        write({ times });
    } else if (command === 'verdicts') {
        const verdicts = [];
        for (const message of messages) {
            const res = await run(message);
            verdicts.push({
                dkim: (res.dkim?.results || []).map(r => r.status.result),
                arc: res.arc?.status?.result || 'none',
                dmarc: res.dmarc?.status?.result || 'none',
                spf: res.spf?.status?.result || 'none'
            });
        }
        write({ verdicts });
    } else if (command === 'quit') {
        break;
    }
}
process.exit(0);
