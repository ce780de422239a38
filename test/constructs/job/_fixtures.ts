/** Test-only helpers for the job, queue and events construct tests. */
import { App, Resource, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Architecture, IComputeEnvironment } from '../../../lib/constructs/compute/compute-environment-base';
import type { ComputeEnvironment } from '../../../lib/core/model/compute-environment';

/** A fresh app and stack with a concrete environment. */
export function newStack(id = 'TestStack'): Stack {
  return new Stack(new App(), id, { env: { account: '123456789012', region: 'us-east-1' } });
}

/** Props of {@link FakeComputeEnvironment}. */
export interface FakeCeProps {
  readonly platform?: 'EC2' | 'FARGATE';
  readonly architecture?: Architecture;
  readonly name?: string;
  readonly model?: ComputeEnvironment;
}

/** A minimal IComputeEnvironment, so queue tests do not depend on the compute constructs. */
export class FakeComputeEnvironment extends Resource implements IComputeEnvironment {
  public readonly computeEnvironmentName: string;
  public readonly computeEnvironmentArn: string;
  public readonly platform: 'EC2' | 'FARGATE';
  public readonly architecture?: Architecture;
  public readonly model?: ComputeEnvironment;
  constructor(scope: Construct, id: string, props: FakeCeProps = {}) {
    super(scope, id);
    this.computeEnvironmentName = props.name ?? id;
    this.computeEnvironmentArn =
      `arn:aws:batch:us-east-1:123456789012:compute-environment/` + `${this.computeEnvironmentName}`;
    this.platform = props.platform ?? 'EC2';
    this.architecture = props.architecture;
    this.model = props.model;
  }
}
