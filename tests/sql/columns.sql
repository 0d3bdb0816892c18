-- Every column of the documented example event (a single pretty object).
.mode line
SELECT * FROM cloudtrail('tests/data/real/aws-docs');
SELECT path, options IS NULL AS no_options, substr(logFile, -35) AS logFile,
       length(record) > 100 AS has_record
  FROM cloudtrail('tests/data/real/aws-docs');
.mode list
.headers on
-- Athena's lower-case names work too.
SELECT eventname, useridentity->>'$.type' AS t, recipientaccountid
  FROM cloudtrail('tests/data/real/aws-docs');
-- Booleans: JSON true/false and the strings "true"/"false" become 1/0.
SELECT readOnly, managementEvent, sessionCredentialFromConsole, count(*)
  FROM cloudtrail('tests/data/real/invictus-ir') GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
SELECT typeof(readOnly), count(*) FROM cloudtrail('tests/data/real/stratus-red-team') GROUP BY 1;
-- The userIdentity shortcuts equal the JSON paths they stand for.
SELECT count(*) AS events,
       sum(userType IS (userIdentity->>'$.type')) AS type_ok,
       sum(userArn IS (userIdentity->>'$.arn')) AS arn_ok,
       sum(userAccountId IS (userIdentity->>'$.accountId')) AS account_ok,
       sum(userPrincipalId IS (userIdentity->>'$.principalId')) AS principal_ok,
       sum(userName IS (userIdentity->>'$.userName')) AS name_ok,
       sum(userAccessKeyId IS (userIdentity->>'$.accessKeyId')) AS key_ok,
       sum(userInvokedBy IS (userIdentity->>'$.invokedBy')) AS invoked_ok,
       sum(sessionIssuerArn IS (userIdentity->>'$.sessionContext.sessionIssuer.arn')) AS issuer_ok,
       sum(sessionIssuerUserName IS (userIdentity->>'$.sessionContext.sessionIssuer.userName')) AS issuer_name_ok
  FROM cloudtrail('tests/data/real/invictus-ir');
-- Every column equals the same field read from record with SQLite's JSON.
SELECT count(*) AS events,
       sum(eventVersion IS (record->>'$.eventVersion')
       AND eventTime IS (record->>'$.eventTime')
       AND eventSource IS (record->>'$.eventSource')
       AND eventName IS (record->>'$.eventName')
       AND awsRegion IS (record->>'$.awsRegion')
       AND sourceIPAddress IS (record->>'$.sourceIPAddress')
       AND userAgent IS (record->>'$.userAgent')
       AND errorCode IS (record->>'$.errorCode')
       AND errorMessage IS (record->>'$.errorMessage')
       AND requestID IS (record->>'$.requestID')
       AND eventID IS (record->>'$.eventID')
       AND eventType IS (record->>'$.eventType')
       AND apiVersion IS (record->>'$.apiVersion')
       AND recipientAccountId IS (record->>'$.recipientAccountId')
       AND sharedEventID IS (record->>'$.sharedEventID')
       AND vpcEndpointId IS (record->>'$.vpcEndpointId')
       AND eventCategory IS (record->>'$.eventCategory')
       AND readOnly IS (record->>'$.readOnly')
       AND managementEvent IS (record->>'$.managementEvent')
       AND json(userIdentity) IS (record->>'$.userIdentity')
       AND json(requestParameters) IS (record->>'$.requestParameters')
       AND json(responseElements) IS (record->>'$.responseElements')
       AND json(additionalEventData) IS (record->>'$.additionalEventData')
       AND json(resources) IS (record->>'$.resources')
       AND json(tlsDetails) IS (record->>'$.tlsDetails')
       AND json(serviceEventDetails) IS (record->>'$.serviceEventDetails')) AS all_equal
  FROM cloudtrail('tests/data/real/invictus-ir');
