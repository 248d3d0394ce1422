/**
 * Freeze a value and everything it holds (own data properties, array items,
 * recursively; getters are not called), so that what one template is given
 * cannot be changed for the next: the catalog's records and the memoised
 * estimates are shared by every report of a build, and a shard+merge build
 * must equal a single build whatever a template does with them. Typed
 * arrays, which cannot be frozen, are left as they are. Returns the value.
 */
export function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (next === null || (typeof next !== 'object' && typeof next !== 'function')) continue;
    if (Object.isFrozen(next) || ArrayBuffer.isView(next)) continue;
    Object.freeze(next);
    for (const descriptor of Object.values(Object.getOwnPropertyDescriptors(next)))
      if ('value' in descriptor) pending.push(descriptor.value);
  }
  return value;
}

/** Whether an error is JavaScript refusing to change a frozen value (a TypeError in strict code). */
export function isFrozenWrite(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    /read[- ]only|not extensible|Cannot add property|Cannot delete property|Cannot redefine property|Cannot assign to/i.test(
      error.message,
    )
  );
}
