import { Size, SizeRoundingBehavior } from 'cdk8s';
import { ContainerResources, k8s } from 'cdk8s-plus-27';
import { inputError, quote } from './errors';
import { Plain } from './plain';
import { quantityValue } from './quantity';

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

function sizeQuantity(size: Size | undefined): string | undefined {
  if (!size) return undefined;
  const mebibytes = size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  return Number.isInteger(mebibytes) ? `${mebibytes}Mi` : `${Math.ceil(size.toKibibytes({ rounding: SizeRoundingBehavior.NONE }))}Ki`;
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
  const pairs: Array<[string, string, string]> = [
    ['cpu', overrides.cpu?.request?.amount ?? defaults.cpuRequest, overrides.cpu?.limit?.amount ?? defaults.cpuLimit],
    ['memory', sizeQuantity(overrides.memory?.request) ?? defaults.memoryRequest, sizeQuantity(overrides.memory?.limit) ?? defaults.memoryLimit],
    [
      'ephemeral-storage',
      sizeQuantity(overrides.ephemeralStorage?.request) ?? defaults.ephemeralStorageRequest,
      sizeQuantity(overrides.ephemeralStorage?.limit) ?? defaults.ephemeralStorageLimit,
    ],
  ];
  const requests: { [name: string]: string } = {};
  const limits: { [name: string]: string } = {};
  for (const [name, request, limit] of pairs) {
    if (quantityValue(request) > quantityValue(limit)) {
      throw inputError(where, `the ${name} request ${quote(request)} is above its limit ${quote(limit)}`, `raise the ${name} limit to at least ${quote(request)} or lower the request`);
    }
    requests[name] = request;
    limits[name] = limit;
  }
  return { requests, limits };
}
