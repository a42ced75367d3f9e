"""nbgrader settings for a course with wijkleer's exercises. Put this file in the course's root folder (next to
``source/``), or copy its lines into the course's own ``nbgrader_config.py``.

The last cell of each exercise opens wijkleer's database; without ``WIJKLEER_DB`` that is ``wijkleer.db`` in the
notebook's own folder (with ``-wal``/``-shm``/``-journal`` files next to it while it is in use). nbgrader copies
every file of an assignment's folder into the release and into submissions: these patterns keep such databases
(with students' progress and codes) out of them."""

c = get_config()  # noqa: F821 (nbgrader's config loader provides get_config)

# nbgrader's own defaults, and every SQLite database file with its companions
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "*.db",
    "*.db-*",
    "*.sqlite",
    "*.sqlite3",
]
