/* main.c - not written yet */
#include <stdio.h>
int main(void)
{
	fputs("docctl: not written yet\n", stderr);
	return 2;
}
