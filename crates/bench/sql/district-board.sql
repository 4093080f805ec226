-- District board (placeholder query): the government, its score history with
-- the change per period, its first 50 OPDs with latest score and overdue
-- count, and its action-item counts. {today} is the date in Indonesia.
SELECT d.name, d.time_zone
FROM districts d WHERE d.id = {district_id};
SELECT p.year, s.total_hundredths, s.band_code,
       s.total_hundredths - LAG(s.total_hundredths) OVER (ORDER BY p.year) AS change
FROM score_records s JOIN assessment_periods p ON p.id = s.period_id
WHERE s.district_id = {district_id} AND s.opd_id IS NULL AND s.kind = 'OFFICIAL' AND s.is_current
ORDER BY p.year;
SELECT o.name, COUNT(*) OVER () AS total_count,
       (SELECT s.total_hundredths FROM score_records s JOIN assessment_periods p ON p.id = s.period_id
         WHERE s.opd_id = o.id AND s.kind = 'OFFICIAL' AND s.is_current
         ORDER BY p.year DESC LIMIT 1) AS latest,
       (SELECT COUNT(*) FROM action_items i
         WHERE i.opd_id = o.id AND i.status IN ('OPEN', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED')
           AND i.due_on < '{today}') AS overdue
FROM opds o WHERE o.district_id = {district_id}
ORDER BY o.name, o.id LIMIT 50;
SELECT SUM(CASE WHEN status IN ('OPEN', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED') THEN 1 ELSE 0 END) AS open,
       SUM(CASE WHEN status IN ('OPEN', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED') AND due_on < '{today}' THEN 1 ELSE 0 END) AS overdue,
       SUM(CASE WHEN status = 'VERIFIED' THEN 1 ELSE 0 END) AS verified
FROM action_items WHERE district_id = {district_id};
