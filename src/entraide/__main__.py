from entraide.cli import script

if __name__ == "__main__":  # (not when a spawned worker imports it as `__mp_main__`)
    script()
