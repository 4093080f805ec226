-- Office board (placeholder query): the office, its first 50 governments with
-- their score history and change per period, its active agreements.
SELECT o.name FROM offices o WHERE o.id = {office_id};
WITH page AS (
  SELECT d.id, d.name FROM districts d WHERE d.office_id = {office_id} ORDER BY d.name, d.id LIMIT 50
)
SELECT page.name, (SELECT COUNT(*) FROM districts WHERE office_id = {office_id}) AS total_count,
       p.year, s.total_hundredths, s.band_code,
       s.total_hundredths - LAG(s.total_hundredths) OVER (PARTITION BY page.id ORDER BY p.year) AS change
FROM page
LEFT JOIN score_records s ON s.district_id = page.id AND s.opd_id IS NULL AND s.kind = 'OFFICIAL' AND s.is_current
LEFT JOIN assessment_periods p ON p.id = s.period_id
ORDER BY page.name, page.id, p.year;
SELECT COUNT(*) FROM agreements WHERE office_id = {office_id} AND status = 'ACTIVE';
