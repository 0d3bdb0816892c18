-- sql/cis.sql - the CIS AWS Foundations Benchmark monitoring checks as views.
--
-- Each check of the benchmark's monitoring section (a CloudWatch Logs metric
-- filter over CloudTrail events) is a TEMP view over a table named `trail`,
-- which you create first:
--
--   .load build/cloudtrail
--   CREATE VIRTUAL TABLE temp.trail USING cloudtrail('/path/to/AWSLogs');
--   .read sql/cis.sql
--   SELECT * FROM cis_summary;
--   SELECT * FROM cis_root_account_use WHERE eventTime >= '2024-03-01';
--
-- The views are TEMP because the cloudtrail table is DIRECTONLY: a view
-- stored in a database file may not read files. Each view returns the same
-- columns: the check's name, then
--   eventTime, eventSource, eventName, awsRegion, recipientAccountId, userType, userArn, sourceIPAddress, errorCode, errorMessage, eventID, logFile.
-- A field a filter compares with != or "does not exist" is absent in some
-- events; each view says which way an absent field goes. SQL's `x != 'Yes'`
-- would drop events where x is absent, so the views use IS NOT where the
-- benchmark means "not Yes" (absent included).

-- Root account use (CIS 1.2 3.3 / 1.4+ 4.3, CloudWatch.1).
-- Absent invokedBy and absent eventType both count as "does not exist" / "not AwsServiceEvent".
DROP VIEW IF EXISTS temp.cis_root_account_use;
CREATE TEMP VIEW cis_root_account_use AS
SELECT 'root_account_use' AS check_name, eventTime, eventSource, eventName, awsRegion, recipientAccountId, userType, userArn, sourceIPAddress, errorCode, errorMessage, eventID, logFile
  FROM trail
 WHERE userType = 'Root' AND userInvokedBy IS NULL AND eventType IS NOT 'AwsServiceEvent';

-- Unauthorized API calls (CIS 3.1 / 4.1, CloudWatch.2).
-- Case-sensitive patterns, as in the metric filter (GLOB, not LIKE).
DROP VIEW IF EXISTS temp.cis_unauthorized_api_calls;
CREATE TEMP VIEW cis_unauthorized_api_calls AS
SELECT 'unauthorized_api_calls' AS check_name, eventTime, eventSource, eventName, awsRegion, recipientAccountId, userType, userArn, sourceIPAddress, errorCode, errorMessage, eventID, logFile
  FROM trail
 WHERE errorCode GLOB '*UnauthorizedOperation' OR errorCode GLOB 'AccessDenied*';

-- Console sign-in without MFA, Security Hub form (CloudWatch.3).
-- An absent additionalEventData.MFAUsed counts as not "Yes" (reported).
DROP VIEW IF EXISTS temp.cis_console_signin_without_mfa;
CREATE TEMP VIEW cis_console_signin_without_mfa AS
SELECT 'console_signin_without_mfa' AS check_name, eventTime, eventSource, eventName, awsRegion, recipientAccountId, userType, userArn, sourceIPAddress, errorCode, errorMessage, eventID, logFile
  FROM trail
 WHERE eventName = 'ConsoleLogin' AND (additionalEventData->>'$.MFAUsed') IS NOT 'Yes' AND userType = 'IAMUser' AND (responseElements->>'$.ConsoleLogin') = 'Success';

-- Console sign-in without MFA, short CIS form (CIS 3.2 / 4.2).
-- An absent additionalEventData.MFAUsed counts as not "Yes" (reported). Includes failed sign-ins.
DROP VIEW IF EXISTS temp.cis_console_signin_without_mfa_short;
CREATE TEMP VIEW cis_console_signin_without_mfa_short AS
SELECT 'console_signin_without_mfa_short' AS check_name, eventTime, eventSource, eventName, awsRegion, recipientAccountId, userType, userArn, sourceIPAddress, errorCode, errorMessage, eventID, logFile
  FROM trail
 WHERE eventName = 'ConsoleLogin' AND (additionalEventData->>'$.MFAUsed') IS NOT 'Yes';

-- IAM policy changes (CIS 3.4 / 4.4, CloudWatch.4).
DROP VIEW IF EXISTS temp.cis_iam_policy_changes;
CREATE TEMP VIEW cis_iam_policy_changes AS
SELECT 'iam_policy_changes' AS check_name, eventTime, eventSource, eventName, awsRegion, recipientAccountId, userType, userArn, sourceIPAddress, errorCode, errorMessage, eventID, logFile
  FROM trail
 WHERE eventName IN ('DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy', 'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy', 'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy');

-- CloudTrail configuration changes (CIS 3.5 / 4.5, CloudWatch.5).
DROP VIEW IF EXISTS temp.cis_cloudtrail_changes;
CREATE TEMP VIEW cis_cloudtrail_changes AS
SELECT 'cloudtrail_changes' AS check_name, eventTime, eventSource, eventName, awsRegion, recipientAccountId, userType, userArn, sourceIPAddress, errorCode, errorMessage, eventID, logFile
  FROM trail
 WHERE eventName IN ('CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging');

-- Console authentication failures (CIS 3.6 / 4.6, CloudWatch.6).
DROP VIEW IF EXISTS temp.cis_console_auth_failures;
CREATE TEMP VIEW cis_console_auth_failures AS
SELECT 'console_auth_failures' AS check_name, eventTime, eventSource, eventName, awsRegion, recipientAccountId, userType, userArn, sourceIPAddress, errorCode, errorMessage, eventID, logFile
  FROM trail
 WHERE eventName = 'ConsoleLogin' AND errorMessage = 'Failed authentication';

-- Disabling or scheduled deletion of customer managed keys (CIS 3.7 / 4.7, CloudWatch.7).
DROP VIEW IF EXISTS temp.cis_kms_key_disable_delete;
CREATE TEMP VIEW cis_kms_key_disable_delete AS
SELECT 'kms_key_disable_delete' AS check_name, eventTime, eventSource, eventName, awsRegion, recipientAccountId, userType, userArn, sourceIPAddress, errorCode, errorMessage, eventID, logFile
  FROM trail
 WHERE eventSource = 'kms.amazonaws.com' AND eventName IN ('DisableKey', 'ScheduleKeyDeletion');

-- S3 bucket policy changes (CIS 3.8 / 4.8, CloudWatch.8).
DROP VIEW IF EXISTS temp.cis_s3_bucket_policy_changes;
CREATE TEMP VIEW cis_s3_bucket_policy_changes AS
SELECT 's3_bucket_policy_changes' AS check_name, eventTime, eventSource, eventName, awsRegion, recipientAccountId, userType, userArn, sourceIPAddress, errorCode, errorMessage, eventID, logFile
  FROM trail
 WHERE eventSource = 's3.amazonaws.com' AND eventName IN ('PutBucketAcl', 'PutBucketPolicy', 'PutBucketCors', 'PutBucketLifecycle', 'PutBucketReplication', 'DeleteBucketPolicy', 'DeleteBucketCors', 'DeleteBucketLifecycle', 'DeleteBucketReplication');

-- AWS Config configuration changes (CIS 3.9 / 4.9, CloudWatch.9).
DROP VIEW IF EXISTS temp.cis_config_changes;
CREATE TEMP VIEW cis_config_changes AS
SELECT 'config_changes' AS check_name, eventTime, eventSource, eventName, awsRegion, recipientAccountId, userType, userArn, sourceIPAddress, errorCode, errorMessage, eventID, logFile
  FROM trail
 WHERE eventSource = 'config.amazonaws.com' AND eventName IN ('StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder');

-- Security group changes (CIS 3.10 / 4.10, CloudWatch.10).
-- Includes ModifySecurityGroupRules, which newer versions of the benchmark add.
DROP VIEW IF EXISTS temp.cis_security_group_changes;
CREATE TEMP VIEW cis_security_group_changes AS
SELECT 'security_group_changes' AS check_name, eventTime, eventSource, eventName, awsRegion, recipientAccountId, userType, userArn, sourceIPAddress, errorCode, errorMessage, eventID, logFile
  FROM trail
 WHERE eventName IN ('AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup', 'ModifySecurityGroupRules');

-- Network ACL changes (CIS 3.11 / 4.11, CloudWatch.11).
DROP VIEW IF EXISTS temp.cis_nacl_changes;
CREATE TEMP VIEW cis_nacl_changes AS
SELECT 'nacl_changes' AS check_name, eventTime, eventSource, eventName, awsRegion, recipientAccountId, userType, userArn, sourceIPAddress, errorCode, errorMessage, eventID, logFile
  FROM trail
 WHERE eventName IN ('CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation');

-- Network gateway changes (CIS 3.12 / 4.12, CloudWatch.12).
DROP VIEW IF EXISTS temp.cis_network_gateway_changes;
CREATE TEMP VIEW cis_network_gateway_changes AS
SELECT 'network_gateway_changes' AS check_name, eventTime, eventSource, eventName, awsRegion, recipientAccountId, userType, userArn, sourceIPAddress, errorCode, errorMessage, eventID, logFile
  FROM trail
 WHERE eventName IN ('CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway', 'CreateInternetGateway', 'DeleteInternetGateway', 'DetachInternetGateway');

-- Route table changes (CIS 3.13 / 4.13, CloudWatch.13).
DROP VIEW IF EXISTS temp.cis_route_table_changes;
CREATE TEMP VIEW cis_route_table_changes AS
SELECT 'route_table_changes' AS check_name, eventTime, eventSource, eventName, awsRegion, recipientAccountId, userType, userArn, sourceIPAddress, errorCode, errorMessage, eventID, logFile
  FROM trail
 WHERE eventName IN ('CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation', 'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable');

-- VPC changes (CIS 3.14 / 4.14, CloudWatch.14).
DROP VIEW IF EXISTS temp.cis_vpc_changes;
CREATE TEMP VIEW cis_vpc_changes AS
SELECT 'vpc_changes' AS check_name, eventTime, eventSource, eventName, awsRegion, recipientAccountId, userType, userArn, sourceIPAddress, errorCode, errorMessage, eventID, logFile
  FROM trail
 WHERE eventName IN ('CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'AcceptVpcPeeringConnection', 'CreateVpcPeeringConnection', 'DeleteVpcPeeringConnection', 'RejectVpcPeeringConnection', 'AttachClassicLinkVpc', 'DetachClassicLinkVpc', 'DisableVpcClassicLink', 'EnableVpcClassicLink');

-- AWS Organizations changes (CIS 1.5 4.15).
-- The event list is CIS v1.5's; the Security Hub page does not list it.
DROP VIEW IF EXISTS temp.cis_organizations_changes;
CREATE TEMP VIEW cis_organizations_changes AS
SELECT 'organizations_changes' AS check_name, eventTime, eventSource, eventName, awsRegion, recipientAccountId, userType, userArn, sourceIPAddress, errorCode, errorMessage, eventID, logFile
  FROM trail
 WHERE eventSource = 'organizations.amazonaws.com' AND eventName IN ('AcceptHandshake', 'AttachPolicy', 'CreateAccount', 'CreateOrganizationalUnit', 'CreatePolicy', 'DeclineHandshake', 'DeleteOrganization', 'DeleteOrganizationalUnit', 'DeletePolicy', 'DetachPolicy', 'DisablePolicyType', 'EnablePolicyType', 'InviteAccountToOrganization', 'LeaveOrganization', 'MoveAccount', 'RemoveAccountFromOrganization', 'UpdatePolicy', 'UpdateOrganizationalUnit');

-- Every check with its number of matching events (zero included).
DROP VIEW IF EXISTS temp.cis_summary;
CREATE TEMP VIEW cis_summary AS
SELECT 'root_account_use' AS check_name, (SELECT count(*) FROM cis_root_account_use) AS events
UNION ALL
SELECT 'unauthorized_api_calls' AS check_name, (SELECT count(*) FROM cis_unauthorized_api_calls) AS events
UNION ALL
SELECT 'console_signin_without_mfa' AS check_name, (SELECT count(*) FROM cis_console_signin_without_mfa) AS events
UNION ALL
SELECT 'console_signin_without_mfa_short' AS check_name, (SELECT count(*) FROM cis_console_signin_without_mfa_short) AS events
UNION ALL
SELECT 'iam_policy_changes' AS check_name, (SELECT count(*) FROM cis_iam_policy_changes) AS events
UNION ALL
SELECT 'cloudtrail_changes' AS check_name, (SELECT count(*) FROM cis_cloudtrail_changes) AS events
UNION ALL
SELECT 'console_auth_failures' AS check_name, (SELECT count(*) FROM cis_console_auth_failures) AS events
UNION ALL
SELECT 'kms_key_disable_delete' AS check_name, (SELECT count(*) FROM cis_kms_key_disable_delete) AS events
UNION ALL
SELECT 's3_bucket_policy_changes' AS check_name, (SELECT count(*) FROM cis_s3_bucket_policy_changes) AS events
UNION ALL
SELECT 'config_changes' AS check_name, (SELECT count(*) FROM cis_config_changes) AS events
UNION ALL
SELECT 'security_group_changes' AS check_name, (SELECT count(*) FROM cis_security_group_changes) AS events
UNION ALL
SELECT 'nacl_changes' AS check_name, (SELECT count(*) FROM cis_nacl_changes) AS events
UNION ALL
SELECT 'network_gateway_changes' AS check_name, (SELECT count(*) FROM cis_network_gateway_changes) AS events
UNION ALL
SELECT 'route_table_changes' AS check_name, (SELECT count(*) FROM cis_route_table_changes) AS events
UNION ALL
SELECT 'vpc_changes' AS check_name, (SELECT count(*) FROM cis_vpc_changes) AS events
UNION ALL
SELECT 'organizations_changes' AS check_name, (SELECT count(*) FROM cis_organizations_changes) AS events;
