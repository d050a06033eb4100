import re,sys,subprocess,glob
rows=[]
for f in sorted(glob.glob('src/**/*.c',recursive=True)):
    lines=open(f,encoding='utf-8',errors='replace').read().split('\n')
    i=0
    while i<len(lines):
        l=lines[i]
        if l.startswith('{') and i>0:
            # function start: find header line above
            j=i-1
            while j>0 and lines[j].strip() and not lines[j].startswith(('}','#')) and not lines[j].endswith(';'): j-=1
            name=' '.join(lines[j+1:i]).split('(')[0].split()[-1] if lines[j+1:i] else '?'
            k=i+1
            while k<len(lines) and not lines[k].startswith('}'): k+=1
            rows.append((k-i+1,f,name,i+1)); i=k
        i+=1
rows.sort(reverse=True)
for r in rows[:int(sys.argv[1]) if len(sys.argv)>1 else 15]: print(*r)
print(len([r for r in rows if r[0]>100]),'functions over 100 lines')
