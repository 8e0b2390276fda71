import { elementNames, type XmlNode } from '../xml';

/**
 * A parsed tree with the order of its elements made explicit, for comparing two readers: attribute
 * order and where `#text` sits do not matter (toEqual ignores key order; elementNames does not).
 */
export function orderedShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(orderedShape);
  if (typeof value !== 'object' || value === null) return value;
  const node = value as XmlNode;
  return {
    attributes: Object.keys(node).filter((k) => k.startsWith('@_')).sort().map((k) => [k, node[k]]),
    text: node['#text'],
    elements: elementNames(node).map((k) => [k, orderedShape(node[k])]),
  };
}
