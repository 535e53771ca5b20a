/** A structural serialisation of a DOM subtree: node types, tags, attributes, text data, empty text nodes included. */
export function snapshot(node: Node): string {
  const out: string[] = [];
  const walk = (n: Node, depth: number) => {
    const pad = ' '.repeat(depth);
    if (n.nodeType === 3) out.push(`${pad}#text ${JSON.stringify((n as Text).data)}`);
    else if (n.nodeType === 8) out.push(`${pad}#comment ${JSON.stringify((n as Comment).data)}`);
    else if (n.nodeType === 1) {
      const el = n as Element;
      const attrs = [...el.attributes].map((a) => `${a.name}=${JSON.stringify(a.value)}`).sort();
      out.push(`${pad}<${el.tagName.toLowerCase()} ${attrs.join(' ')}>`);
    }
    n.childNodes.forEach((c) => walk(c, depth + 1));
  };
  walk(node, 0);
  return out.join('\n');
}

export function textNodes(root: Node): Text[] {
  const out: Text[] = [];
  const walk = (n: Node) => {
    if (n.nodeType === 3) out.push(n as Text);
    n.childNodes.forEach(walk);
  };
  walk(root);
  return out;
}
