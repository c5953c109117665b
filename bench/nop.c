/* The bare C program start-up is measured against: it does nothing. */
int
main(void)
{
	return 0;
}
