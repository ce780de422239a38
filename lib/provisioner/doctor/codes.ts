/**
 * Stable codes of `batchkit doctor` findings: why jobs would sit in RUNNABLE. (A job definition no
 * queue can ever place is the core rule `BATCH-X-003`, which the static doctor runs.)
 */
export const DOCTOR = {
  /** The queue is DISABLED: its jobs are not scheduled. */
  queueDisabled: 'BATCHKIT-DOCTOR-002',
  /** The environment is DISABLED: no job is placed on it. */
  environmentDisabled: 'BATCHKIT-DOCTOR-003',
  /** Every environment of the queue is DISABLED (or the queue has none). */
  queueWithoutCapacity: 'BATCHKIT-DOCTOR-004',
  /** maxvCpus is 0: the environment can never launch anything. */
  zeroMaxVcpus: 'BATCHKIT-DOCTOR-005',
  /** SPOT with BEST_FIT needs a Spot Fleet role; none is set (or it does not exist). */
  spotFleetRole: 'BATCHKIT-DOCTOR-006',
  /**
   * The instance role lacks AmazonEC2ContainerServiceforEC2Role (or the profile is missing): instances never join
   * the cluster.
   */
  instanceRolePolicy: 'BATCHKIT-DOCTOR-007',
  /** The environment is INVALID. */
  environmentInvalid: 'BATCHKIT-DOCTOR-008',
  /** The queue is INVALID. */
  queueInvalid: 'BATCHKIT-DOCTOR-009',
  /** RUNNABLE jobs wait while the environments are at maxvCpus. */
  maxVcpusReached: 'BATCHKIT-DOCTOR-010',
  /** A RUNNABLE job asks for more than any instance type of the queue's environments has. */
  runnableNeverPlaceable: 'BATCHKIT-DOCTOR-011',
  /** A subnet has no route to the internet (NAT or internet gateway) and no VPC endpoints for ECS/ECR/logs. */
  privateSubnet: 'BATCHKIT-DOCTOR-012',
  /** A security group allows no outbound traffic. */
  noEgress: 'BATCHKIT-DOCTOR-013',
  /** A subnet or security group of the environment does not exist. */
  missingNetwork: 'BATCHKIT-DOCTOR-014',
} as const;

/** The managed policy an ECS container instance role needs. */
export const ECS_INSTANCE_POLICY = 'AmazonEC2ContainerServiceforEC2Role';
