/** Small helpers over domhandler nodes (what cheerio parses into). */
import type { AnyNode, Element, Text } from 'domhandler';

export function isElement(n: AnyNode): n is Element {
  return n.type === 'tag' || n.type === 'script' || n.type === 'style';
}

export function isText(n: AnyNode): n is Text {
  return n.type === 'text';
}

/** All text under a node, no separators (for short inline elements such as labels). */
export function textOf(node: AnyNode): string {
  let out = '';
  const stack: AnyNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (isText(n)) out += n.data;
    else if (isElement(n) && n.name !== 'script' && n.name !== 'style') {
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    }
  }
  return out;
}
