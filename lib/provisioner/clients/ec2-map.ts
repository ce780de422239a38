/**
 * CloudFormation EC2 properties → EC2 SDK inputs where no field-by-field mapping is written.
 */
import type * as ec2 from '@aws-sdk/client-ec2';
import { optObj, type Props, type PropsOwner } from '../plan/cfn-props';

/**
 * `LaunchTemplateData` of an `AWS::EC2::LaunchTemplate` as CreateLaunchTemplate(Version) takes it;
 * `{}` when not set, error `BATCHKIT-PROVISION-009` when it is not an object.
 */
export function launchTemplateData(p: Props, owner: PropsOwner): ec2.RequestLaunchTemplateData {
  const data = optObj(p, 'LaunchTemplateData', owner) ?? {};
  // Justified: CloudFormation's LaunchTemplateData is EC2's RequestLaunchTemplateData with the same
  // names and nesting (the CloudFormation reference says so), and EC2 validates every value; a
  // mapping of its ~40 nested fields would copy them unchanged.
  return data as ec2.RequestLaunchTemplateData;
}
