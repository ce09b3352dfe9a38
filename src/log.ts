import { Logger } from '@aws-lambda-powertools/logger';

// Structured logs (Powertools Logger) with secret redaction. Two layers:
//  1. by key: any field whose name looks secret (psk, preSharedKey, SecretString, password, ...) is masked;
//  2. by value: every secret value the process has read (PSKs, Alibaba keys, signing secrets) is
//     registered with `registerSecret()` and masked wherever it appears, even inside messages.
// Never log whole events: handlers log small, chosen fields.

const SECRET_KEY =
  /(psk|pre_?shared_?key|secret(string|binary|key)?|password|passphrase|authkey|access_?key_?secret|signing_?secret|authorization|x-slack-signature|credentials?)$/i;
const REDACTED = '[REDACTED]';
const secrets = new Set<string>();

/** mask this value wherever it appears in logs and error causes from now on */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

/** replace every registered secret value in a string */
export function redactText(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

export function redactValue(key: string, value: unknown): unknown {
  if (key && SECRET_KEY.test(key) && value !== undefined && value !== null && value !== '') return REDACTED;
  if (typeof value === 'string') return redactText(value);
  return value;
}

type Sink = (line: string) => void;
let sink: Sink | undefined;

/** send log lines somewhere other than stdout (the CLI writes them to a file; tests capture them) */
export function setLogSink(s: Sink | undefined): void {
  sink = s;
}

/** one structured line (an EMF metrics document) where the logs go: the sink if set, else stdout */
export function writeLogLine(line: string): void {
  if (sink) sink(line);
  else process.stdout.write(`${line}\n`);
}

class RedactingLogger extends Logger {
  protected override printLog(logLevel: number, log: Parameters<Logger['printLog']>[1]): void {
    if (!sink) {
      super.printLog(logLevel, log);
      return;
    }
    log.prepareForPrint();
    sink(JSON.stringify(log.getAttributes(), (k, v) => redactValue(k, v)));
  }
}

export const logger = new RedactingLogger({
  serviceName: 'vpn-bridge',
  jsonReplacerFn: (key: string, value: unknown) => redactValue(key, value),
});
