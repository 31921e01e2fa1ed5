"""English: month first, as American English writes dates (``03/10/2027 09:00``)."""

DATETIME_FORMAT = "m/d/Y H:i"
SHORT_DATETIME_FORMAT = "m/d/Y H:i"
