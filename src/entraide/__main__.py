from entraide.cli import script

script()
