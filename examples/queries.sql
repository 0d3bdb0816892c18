-- examples/queries.sql - questions people ask of their CloudTrail logs.
-- Run with: make examples (or: sqlite3 < examples/queries.sql from the repo
-- root after `make`; the first line loads the extension).
.load build/cloudtrail
.mode box

-- 1. What is in the logs: events per service, busiest first.
SELECT eventSource, count(*) AS events, count(DISTINCT eventName) AS names,
       min(eventTime) AS first, max(eventTime) AS last
  FROM cloudtrail('examples/logs') GROUP BY 1 ORDER BY 2 DESC LIMIT 8;

-- 2. Who did what: principals, their number of calls and of denied calls.
SELECT coalesce(userArn, userType, '(none)') AS principal, count(*) AS calls,
       sum(errorCode IS NOT NULL) AS errors
  FROM cloudtrail('examples/logs') GROUP BY 1 ORDER BY 2 DESC LIMIT 6;

-- 3. Access denied, by principal and API (the start of many hunts).
SELECT userArn, eventName, errorCode, count(*) AS n
  FROM cloudtrail('examples/logs')
 WHERE errorCode LIKE 'AccessDenied%' OR errorCode LIKE '%UnauthorizedOperation'
 GROUP BY 1, 2, 3 ORDER BY n DESC LIMIT 8;

-- 4. A time window, in any text form: the changes of ten minutes.
SELECT eventTime, eventName, userArn, sourceIPAddress
  FROM cloudtrail('examples/logs')
 WHERE eventTime BETWEEN '2023-07-10 12:20:00' AND '2023-07-10T12:30:00Z'
   AND readOnly = 0
 ORDER BY eventTime LIMIT 10;

-- 4b. Only the last half hour of the trail: files delivered before it are
-- not even opened (see "Query planning" in the README).
SELECT eventName, count(*) AS n FROM cloudtrail('examples/logs')
 WHERE eventTime >= '2023-07-10 12:10' AND eventName IN ('GetUser', 'AssumeRole', 'ConsoleLogin')
 GROUP BY 1 ORDER BY 2 DESC;
SELECT cloudtrail_stats()->>'files' AS files, cloudtrail_stats()->>'files_skipped_path' AS skipped_by_name,
       cloudtrail_stats()->>'files_read' AS read;

-- 5. Defense evasion: who stopped or deleted trails, or changed what they log.
SELECT eventTime, eventName, userArn, requestParameters->>'$.name' AS trail
  FROM cloudtrail('examples/logs')
 WHERE eventSource = 'cloudtrail.amazonaws.com'
   AND eventName IN ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors')
 ORDER BY eventTime;

-- 6. New IAM users and access keys, with who made them.
SELECT eventTime, eventName, userArn AS actor,
       coalesce(requestParameters->>'$.userName', responseElements->>'$.user.userName') AS target
  FROM cloudtrail('examples/logs')
 WHERE eventName IN ('CreateUser', 'CreateAccessKey', 'CreateLoginProfile', 'AttachUserPolicy')
 ORDER BY eventTime LIMIT 10;

-- 7. Join with your own table: calls from addresses on a watch list.
CREATE TEMP TABLE watchlist(ip TEXT PRIMARY KEY, note TEXT);
INSERT INTO watchlist VALUES ('86.245.153.234', 'red team laptop'),
                             ('185.59.222.118', 'incident 42');
SELECT w.note, t.sourceIPAddress, count(*) AS calls, min(t.eventTime) AS first_seen
  FROM cloudtrail('examples/logs') AS t JOIN watchlist AS w ON w.ip = t.sourceIPAddress
 GROUP BY 1, 2 ORDER BY 3 DESC;

-- 8. Nested fields with SQLite's JSON: resources touched, by type.
SELECT r.value->>'$.type' AS resource_type, count(*) AS n
  FROM cloudtrail('examples/logs') AS t, json_each(t.resources) AS r
 GROUP BY 1 ORDER BY 2 DESC LIMIT 5;

-- 9. The CIS AWS Foundations monitoring checks (sql/cis.sql) over the logs.
CREATE VIRTUAL TABLE temp.trail USING cloudtrail('examples/logs');
.read sql/cis.sql
SELECT * FROM cis_summary WHERE events > 0;
SELECT eventTime, eventName, userArn FROM cis_cloudtrail_changes ORDER BY eventTime LIMIT 5;

-- 10. What the last scan did.
SELECT count(*) FROM trail;
SELECT cloudtrail_stats();
