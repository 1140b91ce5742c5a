"""The impact app's pages, by who uses them: `company` (a company's returns and a sponsor's benefits), `admin`
(staff verification of returns and benefits in the Wagtail admin) and `report` (the staff impact report, its
figures' records, exports and the additionality assumptions)."""
