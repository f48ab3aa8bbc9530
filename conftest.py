import os

# Tests run with the testing flag so settings need no SECRET_KEY and email stays in memory.
os.environ.setdefault("HEARD_TESTING", "true")
