"""Singer tap for the MTS Link (ex Webinar.ru) UserAPI v3."""
