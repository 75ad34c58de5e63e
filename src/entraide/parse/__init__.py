"""Parsers: text in, values out. Nothing here touches a file."""
