"""Long work off the GUI thread: the task runner, and the tasks that send email."""
