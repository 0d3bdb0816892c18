-- JSON columns nest as JSON, not as quoted strings.
.headers on
SELECT json_object('who', userIdentity->'$.sessionContext.sessionIssuer.userName',
                   'rp', json(requestParameters)->'$.Name') AS o
  FROM cloudtrail('tests/data/real/aws-docs');
SELECT json_object('ui', userIdentity) LIKE '{"ui":{%' AS nested_object,
       json_array(resources, addendum) AS absent_are_null
  FROM cloudtrail('tests/data/real/aws-docs');
SELECT json_group_array(tlsDetails) LIKE '[{%' AS group_nested, count(*) AS n
  FROM cloudtrail('tests/data/real/stratus-red-team') WHERE eventName = 'StopLogging';
SELECT json_type(userIdentity), json_type(record), json_valid(record)
  FROM cloudtrail('tests/data/real/aws-docs');
-- json_each over resources.
SELECT j.value->>'$.type' AS type, count(*) AS n
  FROM cloudtrail('tests/data/real/invictus-ir') AS t, json_each(t.resources) AS j
 GROUP BY 1 ORDER BY n DESC, 1 LIMIT 3;
-- A JSON null is SQL NULL; a JSON string value stays a quoted JSON string.
SELECT count(*) AS n, count(requestParameters) AS rp, count(responseElements) AS re
  FROM cloudtrail('tests/data/real/aws-processing-library/SerializerAllFieldsNull.json');
-- Floats and big integers keep their original text (no re-printing).
SELECT count(*) AS float_text FROM cloudtrail('tests/data/real/otrf')
 WHERE instr(additionalEventData, '"bytesTransferredOut":500.0') > 0;
SELECT substr(requestParameters, instr(requestParameters, '"FromTime"'), 29) AS exp_text
  FROM cloudtrail('tests/data/real/invictus-ir')
 WHERE instr(requestParameters, '1.688560107857E9') > 0;
SELECT count(*) AS big_int_text FROM cloudtrail('tests/data/real/invictus-ir')
 WHERE instr(record, '1688991086923') > 0;
-- Through a materialized subquery the subtype is lost (SQLite's rule); json() restores it.
SELECT json_object('ui', json(u)) LIKE '{"ui":{%' AS with_json
  FROM (SELECT userIdentity AS u FROM cloudtrail('tests/data/real/aws-docs') ORDER BY 1);
