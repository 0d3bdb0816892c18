-- Every folder of real data: events, distinct names, time range.
.headers on
SELECT 'invictus-ir' AS src, count(*), count(DISTINCT eventName), min(eventTime), max(eventTime)
  FROM cloudtrail('tests/data/real/invictus-ir');
SELECT 'stratus' AS src, count(*), count(DISTINCT eventName), min(eventTime), max(eventTime)
  FROM cloudtrail('tests/data/real/stratus-red-team');
SELECT 'otrf' AS src, count(*), count(eventTime), count(DISTINCT eventName)
  FROM cloudtrail('tests/data/real/otrf');
SELECT 'aws-docs' AS src, count(*) FROM cloudtrail('tests/data/real/aws-docs');
-- The bad JSON file is skipped (and listed) only when asked.
SELECT 'processing-library' AS src, count(*)
  FROM cloudtrail('tests/data/real/aws-processing-library', 'on_error=skip');
SELECT scan > 0, replace(file, rtrim(file, replace(file, '/', '')), '') AS name, error
  FROM cloudtrail_errors;
SELECT cloudtrail_stats()->>'$.files', cloudtrail_stats()->>'$.files_read',
       cloudtrail_stats()->>'$.files_failed', cloudtrail_stats()->>'$.files_ignored',
       cloudtrail_stats()->>'$.records';
-- Top event names of the real trail.
SELECT eventSource, eventName, count(*) AS n
  FROM cloudtrail('tests/data/real/invictus-ir')
 GROUP BY 1, 2 ORDER BY n DESC, 2 LIMIT 5;
-- Per file counts, through the hidden logFile column.
SELECT substr(logFile, -25) AS f, count(*) FROM cloudtrail('tests/data/real/invictus-ir')
 GROUP BY logFile ORDER BY logFile LIMIT 3;
