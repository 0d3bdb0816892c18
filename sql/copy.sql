-- sql/copy.sql - copy the events of `trail` into a plain table `events` whose
-- time comparisons equal the cloudtrail table's.
--
--   .load build/cloudtrail
--   CREATE VIRTUAL TABLE temp.trail USING cloudtrail('/path/to/AWSLogs');
--   .read sql/copy.sql
--   SELECT count(*) FROM events WHERE eventTime >= '2024-03-01 12:30 UTC';
--
-- Why not `CREATE TABLE events AS SELECT * FROM trail`: such a copy declares
-- eventTime as plain TEXT, without the collation cloudtrail_time, so its
-- comparisons are byte comparisons: `eventTime >= '2024-03-01 12:30'` is
-- true of every CloudTrail time ('T' sorts after ' '), BETWEEN of none, and
-- `events.eventTime = x` differs from `x = events.eventTime`. Here eventTime
-- and logDeliveryTime are declared `COLLATE cloudtrail_time`, and every
-- column has the type (and so the affinity) it has in the cloudtrail table,
-- so a query gives the same rows on the copy as on the table. Their text is
-- cloudtrail_time(eventTime): CloudTrail's own form ("2024-03-01T10:00:00Z",
-- byte for byte what CloudTrail writes), so that one instant has one text
-- whatever form a pipeline wrote (a text that is not a time is kept as it
-- is); the original text stays in `record`.
--
-- A connection that reads the copy must load the extension (for the
-- collation); without it SQLite says "no such collation sequence:
-- cloudtrail_time" rather than compare as text. The copy keeps the hidden
-- columns too (record, logFile, logAccount, logRegion, logDeliveryTime).
-- The range checks of the cloudtrail table (a number or a text that is not
-- a time is an error) are the table's, not the copy's: on the copy,
-- `eventTime >= 1688992200` keeps SQLite's rule (every text sorts after
-- every number). Compare with times written as text.
--
-- It fails if `events` exists already: DROP TABLE events first to redo it,
-- or ALTER TABLE events RENAME TO ... to keep several.
CREATE TABLE events(
  eventVersion TEXT, eventTime TEXT COLLATE cloudtrail_time,
  eventSource TEXT, eventName TEXT, awsRegion TEXT, sourceIPAddress TEXT,
  userAgent TEXT, errorCode TEXT, errorMessage TEXT, requestID TEXT,
  eventID TEXT, eventType TEXT, apiVersion TEXT, recipientAccountId TEXT,
  sharedEventID TEXT, vpcEndpointId TEXT, vpcEndpointAccountId TEXT,
  eventCategory TEXT, readOnly INTEGER, managementEvent INTEGER,
  sessionCredentialFromConsole INTEGER, userIdentity JSON TEXT,
  requestParameters JSON TEXT, responseElements JSON TEXT,
  additionalEventData JSON TEXT, resources JSON TEXT,
  serviceEventDetails JSON TEXT, addendum JSON TEXT, tlsDetails JSON TEXT,
  edgeDeviceDetails JSON TEXT, insightDetails JSON TEXT, userType TEXT,
  userArn TEXT, userAccountId TEXT, userPrincipalId TEXT, userName TEXT,
  userAccessKeyId TEXT, userInvokedBy TEXT, sessionIssuerArn TEXT,
  sessionIssuerUserName TEXT, record JSON TEXT, logFile TEXT,
  logAccount TEXT, logRegion TEXT,
  logDeliveryTime TEXT COLLATE cloudtrail_time);
INSERT INTO events
SELECT eventVersion, cloudtrail_time(eventTime), eventSource, eventName, awsRegion,
       sourceIPAddress, userAgent, errorCode, errorMessage, requestID,
       eventID, eventType, apiVersion, recipientAccountId, sharedEventID,
       vpcEndpointId, vpcEndpointAccountId, eventCategory, readOnly,
       managementEvent, sessionCredentialFromConsole, userIdentity,
       requestParameters, responseElements, additionalEventData, resources,
       serviceEventDetails, addendum, tlsDetails, edgeDeviceDetails,
       insightDetails, userType, userArn, userAccountId, userPrincipalId,
       userName, userAccessKeyId, userInvokedBy, sessionIssuerArn,
       sessionIssuerUserName, record, logFile, logAccount, logRegion,
       cloudtrail_time(logDeliveryTime)
  FROM trail;
