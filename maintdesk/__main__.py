import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the packaged program starts its PDF workers as itself (spawn)
    from maintdesk.cli.app import main

    raise SystemExit(main())
