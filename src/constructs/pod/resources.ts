import { Size, SizeRoundingBehavior } from 'cdk8s';
import { ContainerResources, CpuResources, k8s, MemoryResources } from 'cdk8s-plus-27';
import { inputError, quote } from '../../core/errors';
import { Plain } from '../../core/plain';
import { checkPropsObject, PropKeys } from '../../core/prop-checks';
import { validateQuantity } from '../../k8s/quantity';
import { quantityMillis } from '../../k8s/quantity-value';

/** Requests and limits as quantity strings. */
export interface ResourceQuantities {
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
  readonly ephemeralStorageRequest: string;
  readonly ephemeralStorageLimit: string;
}

/** The requests and limits every container gets unless its construct says otherwise. */
export const DEFAULT_RESOURCES: ResourceQuantities = {
  cpuRequest: '100m',
  cpuLimit: '500m',
  memoryRequest: '128Mi',
  memoryLimit: '256Mi',
  ephemeralStorageRequest: '64Mi',
  ephemeralStorageLimit: '256Mi',
};

/** A Size as a quantity string in the largest whole unit: `2Gi`, `512Mi`, or `Ki` (rounded up) below a mebibyte. */
export function sizeQuantity(where: string, what: string, size: Size | undefined): string | undefined {
  if (size === undefined) return undefined;
  if (size === null || typeof (size as Size).toMebibytes !== 'function') {
    throw inputError(where, `${what} is not a Size`, 'use Size.mebibytes(256) or Size.gibibytes(1)');
  }
  const mebibytes = size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  if (Number.isInteger(mebibytes / 1024) && mebibytes > 0) return `${mebibytes / 1024}Gi`;
  return Number.isInteger(mebibytes) ? `${mebibytes}Mi` : `${Math.ceil(size.toKibibytes({ rounding: SizeRoundingBehavior.NONE }))}Ki`;
}

const CONTAINER_RESOURCES: PropKeys<ContainerResources> = { cpu: true, memory: true, ephemeralStorage: true };
/** The keys of cdk8s-plus' CpuResources, MemoryResources and EphemeralStorageResources alike. */
const REQUEST_AND_LIMIT: PropKeys<CpuResources> & PropKeys<MemoryResources> = { request: true, limit: true };

/** Checks that resource overrides are cdk8s-plus-27 `ContainerResources`: only cpu, memory and ephemeralStorage, each a request and a limit. */
export function checkResourceOverrides(where: string, overrides: ContainerResources): ContainerResources {
  checkPropsObject(where, overrides, CONTAINER_RESOURCES, 'resources');
  for (const key of ['cpu', 'memory', 'ephemeralStorage'] as const) {
    if (overrides[key] !== undefined) checkPropsObject(where, overrides[key] as CpuResources | MemoryResources, REQUEST_AND_LIMIT, `resources.${key}`);
  }
  return overrides;
}

/**
 * Container requests and limits: the defaults, overridden field by field by cdk8s-plus-27
 * `ContainerResources` (so `{ cpu: { limit: Cpu.units(2) } }` changes only the CPU limit).
 * A request above its limit is refused.
 */
export function resourceRequirements(
  where: string,
  overrides: ContainerResources = {},
  defaults: ResourceQuantities = DEFAULT_RESOURCES,
): Plain<k8s.ResourceRequirements> {
  checkResourceOverrides(where, overrides);
  const cpu = (value: unknown) => (value === undefined ? undefined : (value as { amount?: unknown }).amount ?? value);
  const size = (what: string, value: Size | undefined) => sizeQuantity(where, `resources.${what}`, value);
  const pairs: Array<[string, unknown, unknown]> = [
    ['cpu', cpu(overrides.cpu?.request) ?? defaults.cpuRequest, cpu(overrides.cpu?.limit) ?? defaults.cpuLimit],
    ['memory', size('memory.request', overrides.memory?.request) ?? defaults.memoryRequest, size('memory.limit', overrides.memory?.limit) ?? defaults.memoryLimit],
    [
      'ephemeral-storage',
      size('ephemeralStorage.request', overrides.ephemeralStorage?.request) ?? defaults.ephemeralStorageRequest,
      size('ephemeralStorage.limit', overrides.ephemeralStorage?.limit) ?? defaults.ephemeralStorageLimit,
    ],
  ];
  const requests: { [name: string]: string } = {};
  const limits: { [name: string]: string } = {};
  for (const [name, requestInput, limitInput] of pairs) {
    const request = positiveQuantity(where, `the ${name} request`, requestInput);
    const limit = positiveQuantity(where, `the ${name} limit`, limitInput);
    if (quantityMillis(request)! > quantityMillis(limit)!) {
      throw inputError(where, `the ${name} request ${quote(request)} is above its limit ${quote(limit)}`, `raise the ${name} limit to at least ${quote(request)} or lower the request`);
    }
    requests[name] = request;
    limits[name] = limit;
  }
  return { requests, limits };
}

/** A quantity the API server accepts for a container resource: well-formed, finite and above zero. */
function positiveQuantity(where: string, what: string, value: unknown): string {
  if (typeof value !== 'string') throw inputError(where, `${what} is not a quantity`, 'use cdk8s-plus Cpu.millis(250) / Size.mebibytes(256) or a string such as "250m"');
  validateQuantity(where, what, value);
  const millis = quantityMillis(value);
  if (millis === undefined || millis <= 0n) {
    throw inputError(where, `${what} ${quote(value)} is not above zero`, 'use a positive amount, e.g. Cpu.millis(250) or Size.mebibytes(256)');
  }
  return value;
}
