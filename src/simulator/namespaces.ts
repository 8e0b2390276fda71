/**
 * Namespace look-up for the two elements whose namespace matters: the envelope root (SOAP 1.1 or
 * 1.2?) and the request element (its QName picks the handler). The shared XML parser strips
 * namespace declarations, so they are read here from the raw start tags along the
 * Envelope → Body → request path; that path holds every declaration in scope for those elements.
 */
export interface ScannedElement {
  local: string;
  ns: string | undefined;
}

const START_TAG = /<([A-Za-z_][\w.-]*)(?::([A-Za-z_][\w.-]*))?((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const NS_DECL = /(?:^|\s)xmlns(?::([A-Za-z_][\w.-]*))?\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

interface Tag {
  prefix: string;
  local: string;
  decls: Map<string, string>;
  selfClosing: boolean;
}

function readTag(m: RegExpExecArray): Tag {
  const decls = new Map<string, string>();
  for (const d of m[3].matchAll(NS_DECL)) decls.set(d[1] ?? '', d[2] ?? d[3] ?? '');
  return m[2] ? { prefix: m[1], local: m[2], decls, selfClosing: m[4] === '/' } : { prefix: '', local: m[1], decls, selfClosing: m[4] === '/' };
}

function resolve(tag: Tag, ancestors: Tag[]): string | undefined {
  for (const scope of [tag, ...ancestors]) {
    const ns = scope.decls.get(tag.prefix);
    if (ns !== undefined) return ns || undefined;
  }
  return undefined;
}

export function scanNamespaces(raw: string): { root?: ScannedElement; request?: ScannedElement } {
  const text = raw.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>/g, '');
  START_TAG.lastIndex = 0;
  const first = START_TAG.exec(text);
  if (!first) return {};
  const root = readTag(first);
  const out: { root?: ScannedElement; request?: ScannedElement } = { root: { local: root.local, ns: resolve(root, []) } };
  let m: RegExpExecArray | null;
  while ((m = START_TAG.exec(text))) {
    const tag = readTag(m);
    if (tag.local !== 'Body') continue;
    if (tag.selfClosing) break;
    const next = START_TAG.exec(text);
    if (next) {
      const request = readTag(next);
      out.request = { local: request.local, ns: resolve(request, [tag, root]) };
    }
    break;
  }
  return out;
}
