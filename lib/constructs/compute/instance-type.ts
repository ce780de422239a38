/**
 * Instance types a managed EC2/Spot compute environment may launch: specific types (`c5.large`),
 * whole families (`c5`), `optimal`, or the `default_*` instance classes.
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html
 */
import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { BatchkitError } from '../../core/errors';
import { isInstanceTypeSyntax } from '../../core/rules/instance-types';
import type { Architecture } from './compute-environment-base';

/** What an instance-type entry names. */
export type InstanceTypeKind = 'type' | 'family' | 'optimal' | 'default';

/** Families with NVIDIA GPUs (GPU jobs need them and an NVIDIA image). */
const NVIDIA_GPU_FAMILY = /^(p\d+[a-z]*|g3s?|g4dn|g5|g5g|g6[a-z]*|gr6|g7[a-z]*)$/;

/** Architecture of a family name (`c7g` → arm64), or undefined when it cannot be told. */
export function familyArchitecture(family: string): Architecture | undefined {
  const m = /^([a-z]+)(\d{1,2})([a-z-]*)$/.exec(family);
  if (!m) return undefined;
  return m[1] === 'a' || m[3].includes('g') ? 'arm64' : 'x86_64';
}

/**
 * One entry of `computeResources.instanceTypes`.
 *
 * Build it from aws-cdk-lib's `ec2.InstanceClass`/`ec2.InstanceSize`, from an `ec2.InstanceType`,
 * or from the service string with {@link BatchInstanceType.custom}.
 */
export class BatchInstanceType {
  /**
   * `optimal`: Batch picks from the latest C, M and R families on the fly. x86_64 only.
   */
  public static readonly OPTIMAL = new BatchInstanceType('optimal', 'optimal', 'x86_64');
  /** `default_x86_64`: the current x86_64 default instance classes chosen by Batch. */
  public static readonly DEFAULT_X86_64 = new BatchInstanceType('default_x86_64', 'default', 'x86_64');
  /** `default_arm64`: the current Graviton default instance classes chosen by Batch. */
  public static readonly DEFAULT_ARM64 = new BatchInstanceType('default_arm64', 'default', 'arm64');

  /** A specific instance type: `of(InstanceClass.C5, InstanceSize.LARGE)` → `c5.large`. */
  public static of(instanceClass: ec2.InstanceClass, instanceSize: ec2.InstanceSize): BatchInstanceType {
    return BatchInstanceType.fromEc2(ec2.InstanceType.of(instanceClass, instanceSize));
  }

  /**
   * A whole family: `family(InstanceClass.C5)` → `c5` (all sizes except `.metal`, which Batch
   * leaves out of families).
   */
  public static family(instanceClass: ec2.InstanceClass): BatchInstanceType {
    const family = ec2.InstanceType.of(instanceClass, ec2.InstanceSize.LARGE).toString().split('.')[0];
    return new BatchInstanceType(family, 'family', familyArchitecture(family));
  }

  /** An aws-cdk-lib instance type (`new ec2.InstanceType('m6g.xlarge')`). */
  public static fromEc2(instanceType: ec2.InstanceType): BatchInstanceType {
    return BatchInstanceType.custom(instanceType.toString());
  }

  /**
   * Any value the service accepts: `c5`, `c5.large`, `optimal`, `default_x86_64`, `default_arm64`.
   * Throws (`BATCHKIT-CDK-008`) when the string cannot be an instance type, family or keyword, by
   * the syntax the core's `BATCH-CE-012` checks (`isInstanceTypeSyntax`).
   */
  public static custom(name: string): BatchInstanceType {
    if (Token.isUnresolved(name)) return new BatchInstanceType(name, 'type', undefined);
    if (name === 'optimal') return BatchInstanceType.OPTIMAL;
    if (name === 'default_x86_64') return BatchInstanceType.DEFAULT_X86_64;
    if (name === 'default_arm64') return BatchInstanceType.DEFAULT_ARM64;
    if (!isInstanceTypeSyntax(name)) {
      throw new BatchkitError(
        'BATCHKIT-CDK-008',
        'input',
        `[BATCHKIT-CDK-008] BatchInstanceType.custom: "${name}" is not an ` +
          `instance type, family or keyword. Allowed: a family (c5), a type ` +
          `(c5.large), optimal, default_x86_64 or default_arm64.`,
        { fix: 'use a lower-case EC2 instance type or family name, e.g. "m6i" or "m6i.2xlarge".' },
      );
    }
    const family = name.split('.')[0];
    return new BatchInstanceType(name, name.includes('.') ? 'type' : 'family', familyArchitecture(family));
  }

  /** The service string (`c5.large`, `c5`, `optimal`). */
  public readonly name: string;
  /** What the entry names. */
  public readonly kind: InstanceTypeKind;
  /** CPU architecture; undefined when unknown (tokens, unrecognised families). */
  public readonly architecture?: Architecture;

  private constructor(name: string, kind: InstanceTypeKind, architecture: Architecture | undefined) {
    this.name = name;
    this.kind = kind;
    this.architecture = architecture;
  }

  /** The family (`c5` for `c5.large`); the name itself for families and keywords. */
  public get family(): string {
    return this.name.split('.')[0];
  }

  /** True for NVIDIA GPU families (p*, g4dn, g5, g6, ...). */
  public get isGpu(): boolean {
    return this.kind !== 'optimal' && this.kind !== 'default' && NVIDIA_GPU_FAMILY.test(this.family);
  }

  /** The service string. */
  public toString(): string {
    return this.name;
  }
}
