import { attrOrChild, child, type XmlNode } from '../soap/xml';
import { invalidRequest } from './faults';

/**
 * Request-argument readers with the real server's rules (§10): an attribute falls back to the
 * text of a same-named child; booleans are 1/0/true/false in any case; longs must parse.
 */

export function requiredAttr(node: XmlNode | undefined, name: string): string {
  const value = attrOrChild(node, name);
  if (value === undefined) throw invalidRequest(`missing required attribute: ${name}`);
  return value;
}

export function requiredElement(node: XmlNode | undefined, name: string): XmlNode {
  const found = child(node, name);
  if (!found) throw invalidRequest(`missing required element: ${name}`);
  return found;
}

export function toBool(value: string, name: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  throw invalidRequest(`invalid boolean value '${value}' for attribute: ${name}`);
}

export function optionalBool(node: XmlNode | undefined, name: string, fallback: boolean): boolean {
  const value = attrOrChild(node, name);
  return value === undefined ? fallback : toBool(value, name);
}

export function requiredBool(node: XmlNode | undefined, name: string): boolean {
  return toBool(requiredAttr(node, name), name);
}

export function toLong(value: string, name: string): number {
  const v = value.trim();
  if (!/^[-+]?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
    throw invalidRequest(`invalid long value '${value}' for attribute: ${name}`);
  }
  return Number(v);
}

export function optionalLong(node: XmlNode | undefined, name: string): number | undefined {
  const value = attrOrChild(node, name);
  return value === undefined ? undefined : toLong(value, name);
}

export function requiredLong(node: XmlNode | undefined, name: string): number {
  return toLong(requiredAttr(node, name), name);
}
