from newsvoice.cli import main

main()
