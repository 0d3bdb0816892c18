-- eventTime compares as time, whichever text form the other side has.
.headers on
SELECT count(*) AS n_datetime FROM cloudtrail('tests/data/real/invictus-ir')
 WHERE eventTime >= '2023-07-10 12:00:00';
SELECT count(*) AS n_iso FROM cloudtrail('tests/data/real/invictus-ir')
 WHERE eventTime >= '2023-07-10T12:00:00Z';
SELECT count(*) AS n_fraction FROM cloudtrail('tests/data/real/invictus-ir')
 WHERE eventTime >= '2023-07-10T12:00:00.000Z';
SELECT count(*) AS n_offset FROM cloudtrail('tests/data/real/invictus-ir')
 WHERE eventTime >= '2023-07-10T14:00:00+02:00';
SELECT count(*) AS n_func FROM cloudtrail('tests/data/real/invictus-ir')
 WHERE eventTime >= datetime('2023-07-10 11:00:00', '+1 hour');
-- The same count by plain text comparison of CloudTrail's own form.
SELECT count(*) AS n_binary FROM cloudtrail('tests/data/real/invictus-ir')
 WHERE eventTime COLLATE BINARY >= '2023-07-10T12:00:00Z';
-- A date-only literal means midnight UTC (as in Athena and standard SQL).
SELECT count(*) AS all_day FROM cloudtrail('tests/data/real/invictus-ir')
 WHERE eventTime >= '2023-07-10' AND eventTime < '2023-07-11';
SELECT count(*) AS before_day_end FROM cloudtrail('tests/data/real/invictus-ir')
 WHERE eventTime <= '2023-07-10';
SELECT count(*) AS between_forms FROM cloudtrail('tests/data/real/invictus-ir')
 WHERE eventTime BETWEEN '2023-07-10 12:00' AND '2023-07-10T12:10:00Z';
SELECT count(*) AS between_binary FROM cloudtrail('tests/data/real/invictus-ir')
 WHERE eventTime COLLATE BINARY BETWEEN '2023-07-10T12:00:00Z' AND '2023-07-10T12:10:00Z';
-- The collation itself.
SELECT '2024-03-01' = '2024-03-01T00:00:00Z' COLLATE cloudtrail_time AS midnight,
       '2024-03-01 10:00:00' = '2024-03-01T10:00:00Z' COLLATE cloudtrail_time AS space_t,
       '2024-03-01T10:00:00.000Z' = '2024-03-01T10:00:00Z' COLLATE cloudtrail_time AS fraction,
       '2024-03-01T10:00:00.5Z' > '2024-03-01T10:00:00Z' COLLATE cloudtrail_time AS half,
       '2024-03-01T12:00:00+02:00' = '2024-03-01T10:00:00Z' COLLATE cloudtrail_time AS tz,
       'not a time' < '0001-01-01' COLLATE cloudtrail_time AS text_first;
-- ORDER BY eventTime sorts by instant.
WITH v(t) AS (VALUES ('2024-03-01T10:00:00Z'), ('2024-03-01 09:59:59'),
                     ('2024-03-01'), ('2024-03-01T10:00:00.5Z'), ('zzz'))
SELECT t FROM v ORDER BY t COLLATE cloudtrail_time;
