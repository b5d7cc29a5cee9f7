# nbgrader settings of the course hub's class mode (`make hub-class`), read by every student's server (the
# Assignments list: fetch, submit, fetch feedback) and by the instructor's nbgrader commands (`make class-*`).
# ruff: noqa: F821  (`c` is the configuration object nbgrader passes to this file)
import os

c = get_config()
c.CourseDirectory.course_id = os.environ.get("NBGRADER_COURSE_ID", "backprop-by-hand")
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
