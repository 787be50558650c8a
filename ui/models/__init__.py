"""Table models: Qt's model/view over lists of the core's records."""
